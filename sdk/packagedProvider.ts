import * as pulumi from "@pulumi/pulumi";
import { PartnerCenterError } from "../provider/errors";
import { checkConfigKeys } from "./config";

/** The resource kinds `pulumi-partnercenter/dynamic` exports a provider for. */
export type ProviderKind = "user" | "consent" | "relationship" | "accessAssignment" | "roleMember";

/**
 * The `__provider` of a resource of this kind: the module text the Node.js dynamic-provider host
 * loads (it `require`s the text and calls its `handler()` for the provider object).
 *
 * `pulumi.dynamic.Resource` would put a serialized closure there (~2 KB, even for a provider that
 * only `require`s its implementation), and Pulumi keeps `__provider` twice per resource (inputs and
 * outputs). The DIY state backends rewrite the whole checkpoint before and after every resource
 * operation, so state bytes per resource multiply into the time of every large rollout; our
 * implementation is a package, so a one-line `require` of it is all the host needs.
 */
export function providerModule(kind: ProviderKind): string {
  return `exports.handler = () => require("pulumi-partnercenter/dynamic").${kind};\n`;
}

/**
 * A dynamic resource whose provider lives in this package (see {@link providerModule}). What
 * `pulumi.dynamic.Resource` does, minus the closure serialization: the same `pulumi-nodejs:dynamic`
 * type prefix (the engine routes it to the Node.js dynamic-provider host) and the same reserved
 * `__provider` input.
 */
export abstract class PackagedDynamicResource extends pulumi.CustomResource {
  protected constructor(kind: ProviderKind, type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    checkConfigKeys();
    refuseExplicitProvider(`pulumi-nodejs:dynamic/partnercenter:${type}`, name, opts);
    const restore = withoutPromiseStackTraces();
    try {
      super(`pulumi-nodejs:dynamic/partnercenter:${type}`, name, { ...props, __provider: providerModule(kind) }, opts);
    } catch (err) {
      restore();
      // The error was made with no frames (this includes one thrown by a `transformations` callback,
      // which the constructor runs): give it the stack of this call, which leads to the program's line.
      if (err instanceof Error) Error.captureStackTrace(err, PackagedDynamicResource);
      throw err;
    }
    restore();
  }
}

/**
 * Refuses a `pulumi.ProviderResource("pulumi-nodejs", …)` given to one of these resources (`provider`,
 * `providers`, or a parent's). Its inputs would be the provider configuration, which the engine keeps
 * in the state exactly as given: a client secret or refresh token written there in plain text would
 * stay unencrypted in the state and its backups. The engine records the provider when the program
 * declares it, before any of these resources can refuse it; refusing still stops every call with it
 * and says how to drop it. The stack's `partnercenter:` config (secrets set
 * with `--secret`, checked in {@link checkConfigKeys}) and the environment are the two ways in.
 */
function refuseExplicitProvider(type: string, name: string, opts: pulumi.CustomResourceOptions | undefined): void {
  // getPackage is in every 3.x runtime, not in the typings.
  const isNodejs = (p: unknown) => (p as { getPackage?: () => string } | undefined)?.getPackage?.() === "pulumi-nodejs";
  // `providers` is a component's option, yet the runtime honours it on a custom resource too.
  const providers = (opts as pulumi.ComponentResourceOptions | undefined)?.providers;
  const explicit =
    isNodejs(opts?.provider) ||
    (Array.isArray(providers) ? providers.some(isNodejs) : providers !== undefined && isNodejs((providers as Record<string, unknown>)["pulumi-nodejs"])) ||
    isNodejs(opts?.parent?.getProvider(type));
  if (explicit) {
    throw new PartnerCenterError(
      { operation: `declare ${name}` },
      `${name}: a pulumi-nodejs ProviderResource cannot configure partnercenter resources: the engine keeps a provider's inputs in the state as given, so its secrets are stored unencrypted (the engine records that provider as soon as the program declares it: remove it from the program, and the next \`pulumi up\` drops it from the state). Remove the provider option and set the stack's configuration instead (\`pulumi config set --secret partnercenter:clientSecret <value>\`, README.md "Configuration"), or the PARTNERCENTER_* environment variables.`,
    );
  }
}

/**
 * Turns off V8's stack capture while @pulumi/pulumi's Resource constructor runs, and returns what
 * turns it back on.
 *
 * Why: the constructor wraps each property in promises that @pulumi/pulumi's `debuggablePromise`
 * stamps with `new Error().stack` (four per property, about 60 for a CustomerUser), kept only to
 * print promise leaks when PULUMI_DEBUG_PROMISE_LEAKS is set. Formatting them through the
 * source-map-support that `pulumi up` and ts-node install was most of a large program's CPU:
 * declaring 500 CustomerUsers took 4.2 to 4.5 CPU seconds with them, 1.2 to 1.4 without. The
 * resource's stack trace and source position are kept: `Resource.callsites()` lifts the limit for
 * its own capture.
 */
function withoutPromiseStackTraces(): () => void {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return () => {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return () => {
    Error.stackTraceLimit = limit;
  };
}
