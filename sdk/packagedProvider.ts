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
    super(`pulumi-nodejs:dynamic/partnercenter:${type}`, name, { ...props, __provider: providerModule(kind) }, opts);
  }
}
