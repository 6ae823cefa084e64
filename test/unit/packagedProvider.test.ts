/**
 * The `__provider` every resource carries is loaded by the Node.js dynamic-provider host the way the
 * host does it (@pulumi/pulumi/cmd/dynamic-provider: require-from-string, then `handler()`), and it
 * must give back this package's providers, with every method the host calls.
 */
import * as path from "path";
import { providerModule, type ProviderKind } from "../../sdk/packagedProvider";

// The copy @pulumi/pulumi's dynamic-provider host uses, found at run time as the host finds it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString: (code: string) => { handler(): any } = require(
  require.resolve("require-from-string", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] }),
);

describe("providerModule", () => {
  it.each<[ProviderKind, string]>([
    ["consent", "consent"],
    ["user", "user"],
  ])("loads the %s provider from pulumi-partnercenter/dynamic", (kind, exported) => {
    const provider = requireFromString(providerModule(kind)).handler();
    // Jest keeps its own module registry, so compare by shape and source rather than identity.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const expected = require("pulumi-partnercenter/dynamic")[exported];
    for (const method of ["configure", "check", "diff", "create", "read", "update", "delete"]) {
      expect(typeof provider[method]).toBe("function");
      expect(String(provider[method])).toBe(String(expected[method]));
    }
  });

  it("is a one-line require, far under the size of a serialized closure", () => {
    for (const kind of ["consent", "user"] as const) {
      expect(providerModule(kind)).toBe(`exports.handler = () => require("pulumi-partnercenter/dynamic").${kind};\n`);
    }
  });
});

/**
 * @pulumi/pulumi stamps every promise of a resource's properties with `new Error().stack`, for
 * PULUMI_DEBUG_PROMISE_LEAKS alone; through source-map-support that was most of a large program's CPU.
 * Our resources are declared without those stacks, keeping the source position and errors' stacks.
 */
describe("declaring a resource", () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const pulumi: typeof import("@pulumi/pulumi") = require("@pulumi/pulumi");
  const runtimeResource = require("@pulumi/pulumi/runtime/resource");
  const { CustomerUser } = require("../../sdk/customerUser") as typeof import("../../sdk/customerUser");
  /* eslint-enable @typescript-eslint/no-require-imports */

  beforeAll(() => pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, "project", "stack", false));
  afterEach(() => {
    delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    jest.restoreAllMocks();
  });

  const args = (i: number) => ({
    customerId: "0b0b0b0b-0000-4000-8000-000000000001",
    userPrincipalName: `user${i}@contoso.onmicrosoft.com`,
    displayName: `User ${i}`,
    usageLocation: "US",
    password: "Str0ng!Passw0rd",
  });

  /** How many stack traces with frames V8 formats while `declare` runs. */
  function stacksFormatted(declare: () => void): number {
    const previous = Error.prepareStackTrace;
    let formatted = 0;
    Error.prepareStackTrace = (error, frames) => {
      if (frames.length > 0) formatted++;
      return previous ? previous(error, frames) : `${error}\n${frames.map((f) => `    at ${f}`).join("\n")}`;
    };
    try {
      declare();
    } finally {
      Error.prepareStackTrace = previous;
    }
    return formatted;
  }

  it("formats one stack trace per resource (its source position), not one per property promise", () => {
    const formatted = stacksFormatted(() => {
      for (let i = 0; i < 20; i++) new CustomerUser(`declared-${i}`, args(i));
    });
    expect(formatted).toBe(20);
  });

  it("keeps the promises' stacks when PULUMI_DEBUG_PROMISE_LEAKS asks for them", () => {
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
    const formatted = stacksFormatted(() => {
      for (let i = 0; i < 20; i++) new CustomerUser(`debugged-${i}`, args(i));
    });
    expect(formatted).toBeGreaterThan(20 * 10);
  });

  it("registers the resource's stack trace, down to the program's line", () => {
    const register = jest.spyOn(runtimeResource, "registerResource");
    const lineOf = (e: Error) => Number(/packagedProvider\.test\.ts:(\d+):/.exec(e.stack ?? "")?.[1]);
    const [line] = [lineOf(new Error()), new CustomerUser("positioned", args(1))];
    const [sourcePosition, stackTrace] = register.mock.calls[0].slice(9, 11) as [{ uri: string }, { uri: string; line: number }[]];
    // @pulumi/pulumi takes the frame under its own constructors: for a dynamic resource, the class's.
    expect(sourcePosition.uri).toMatch(/sdk\/customerUser\.ts$/);
    expect(stackTrace).toContainEqual(expect.objectContaining({ uri: expect.stringMatching(/packagedProvider\.test\.ts$/), line }));
  });

  it("gives an error thrown while declaring a stack that leads to the program, and leaves the limit as it was", () => {
    const limit = Error.stackTraceLimit;
    let thrown: unknown;
    try {
      new CustomerUser("", args(1));
    } catch (err) {
      thrown = err;
    }
    expect((thrown as Error).message).toMatch(/Missing resource name/);
    expect((thrown as Error).stack).toMatch(/packagedProvider\.test\.ts:\d+/);
    expect(Error.stackTraceLimit).toBe(limit);
    new CustomerUser("after", args(2));
    expect(Error.stackTraceLimit).toBe(limit);
  });
});
