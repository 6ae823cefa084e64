import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import * as partnercenter from "pulumi-partnercenter";
import * as native from "@pulumi-partnercenter/native";

/**
 * The rollouts `npm run bench` measures, written the way examples/multi-customer-rollout is: await the
 * partner's delegated-admin customers, keep this stack's shard of them, declare one consent each.
 * The plan file adds the user rollout (which customers, how many users) between runs.
 */
const config = new pulumi.Config();
const planFile = config.require("planFile");
/** Optional "i/n": this stack's shard, when n stacks roll out side by side (see bench/run.ts). */
const shard = config.get("shard");
const password = config.requireSecret("userPassword");

interface Plan {
  applicationId: string;
  userCustomers: { id: string; domain: string }[];
  usersPerCustomer: number;
  /** false: no consents, only the users (a users-only stack, bench/engineOptions.ts). Default true. */
  consents?: boolean;
}

/**
 * The engine floor (bench/floor.ts): with BENCH_FLOOR_PROVIDER set, every resource is declared as
 * always, and only the module its provider is loaded from changes.
 */
const floor = process.env.BENCH_FLOOR_PROVIDER;
/**
 * The native provider (bench/engineOptions.ts's "native" variant): with BENCH_NATIVE set, the same
 * resources are declared through the generated SDK, `partnercenter:index:*`, served by the plugin.
 */
const { ApplicationConsent, CustomerUser } = process.env.BENCH_NATIVE ? native : partnercenter;

export = async () => {
  if (floor) {
    pulumi.runtime.registerStackTransformation(({ props, opts }) => ({
      props: { ...props, __provider: String(props.__provider).replace('"pulumi-partnercenter/dynamic"', JSON.stringify(floor)) },
      opts,
    }));
  }
  const plan = JSON.parse(await fs.promises.readFile(planFile, "utf8")) as Plan;
  const { customers } = await partnercenter.getDelegatedAdminCustomers({ filter: "dapEnabled eq false" });
  const mine = shard ? partnercenter.selectShard(customers, shard, (c) => c.customerTenantId!) : customers;

  for (const c of plan.consents === false ? [] : mine) {
    new ApplicationConsent(`consent-${c.customerTenantId}`, {
      customerId: c.customerTenantId!,
      applicationId: plan.applicationId,
      displayName: "Bench Control Panel",
      grants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes: ["User.Read.All"] }],
    });
  }
  // Users are sharded by their customer, like the consents: each stack owns whole customers.
  const userCustomers = shard ? partnercenter.selectShard(plan.userCustomers, shard, (c) => c.id) : plan.userCustomers;
  for (const c of userCustomers) {
    for (let i = 1; i <= plan.usersPerCustomer; i++) {
      new CustomerUser(`user-${c.id}-${i}`, {
        customerId: c.id,
        userPrincipalName: `bench.user${i}@${c.domain}`,
        displayName: `Bench User ${i}`,
        usageLocation: "US",
        password,
      });
    }
  }
  return { customers: mine.length };
};
