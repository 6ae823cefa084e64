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
