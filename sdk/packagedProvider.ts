import * as pulumi from "@pulumi/pulumi";
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
