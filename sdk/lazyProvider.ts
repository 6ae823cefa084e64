import * as pulumi from "@pulumi/pulumi";

/**
 * The serialized provider stored with each resource of a kind. Its methods `require` the real
 * implementation by package path inside the provider process, through one small closure they all
 * share: every captured function costs ~200 bytes of `__provider` in each resource's state, and no
 * credential is ever captured (those come from stack config through `configure`).
 */
export function lazyProvider(kind: "user" | "consent"): pulumi.dynamic.ResourceProvider {
  const m = () => require("pulumi-partnercenter/dynamic")[kind];
  return {
    configure: (...a) => m().configure(...a),
    check: (...a) => m().check(...a),
    diff: (...a) => m().diff(...a),
    create: (...a) => m().create(...a),
    read: (...a) => m().read(...a),
    update: (...a) => m().update(...a),
    delete: (...a) => m().delete(...a),
  };
}
