// The trust tests' program (test/e2e/trust.test.ts): the resources come from the stack config key
// `resources`, a JSON list, so that each test states exactly what a program declares, with which
// resource options, and changes it between runs without a second program.
import * as pulumi from "@pulumi/pulumi";
import * as partnercenter from "pulumi-partnercenter";

interface Declared {
  kind: "user" | "consent" | "getUser";
  name: string;
  args: Record<string, any>;
  opts?: { ignoreChanges?: string[]; protect?: boolean; retainOnDelete?: boolean };
  id?: string;
}

const config = new pulumi.Config();
const password = config.requireSecret("password");
const declared: Declared[] = JSON.parse(config.require("resources"));
const outputs: Record<string, pulumi.Output<any>> = {};

for (const d of declared) {
  if (d.kind === "user") {
    const user = new partnercenter.CustomerUser(d.name, { password, ...d.args } as unknown as partnercenter.CustomerUserArgs, d.opts);
    outputs[d.name] = pulumi
      .all([user.id, user.displayName, user.immutableId])
      .apply(([id, displayName, immutableId]) => ({ id, displayName, immutableId: immutableId ?? null }));
  } else if (d.kind === "consent") {
    const consent = new partnercenter.ApplicationConsent(d.name, d.args as partnercenter.ApplicationConsentArgs, d.opts);
    outputs[d.name] = pulumi.all([consent.id, consent.grants]).apply(([id, grants]) => ({ id, grants }));
  } else {
    const read = partnercenter.CustomerUser.get(d.name, d.id!, { customerId: d.args.customerId });
    outputs[d.name] = pulumi.all([read.id, read.userPrincipalName, read.customerId]).apply(([id, upn, customerId]) => ({ id, upn, customerId }));
  }
}

export const resources = outputs;
