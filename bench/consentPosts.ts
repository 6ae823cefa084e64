/**
 * `npm run bench:consents`: 500 consent POSTs for one application through the provider's pipeline,
 * all issued at once, against the emulator's 50 requests/s limit per applicationId (with ~100 ms
 * latency). Prints the requests per second achieved and the 429s: the figure to beat is 50/s with
 * no 429 storm.
 */
import { parseArgs } from "util";
import { startEmulator } from "../emulator";
import { loadConfig } from "../provider/config";
import { ServiceContext } from "../provider/context";
import { generatedSeed, microsoftGraphAppId } from "./seed";

async function main() {
  const { values } = parseArgs({ options: { count: { type: "string", default: "500" } } });
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--count must be a positive integer, got '${values.count}'`);
  const emu = await startEmulator({ seed: generatedSeed(count), latencyMs: 100 });
  const admin = emu.admin;
  try {
    const values: Record<string, string> = {
      clientId: emu.credentials.clientId,
      tenantId: emu.credentials.partnerTenantId,
      clientSecret: emu.credentials.clientSecret,
      authorityHost: emu.endpoints.authorityHost,
      partnerCenterUrl: emu.endpoints.partnerCenter,
      delegatedAdminUrl: emu.endpoints.delegatedAdmin,
      graphUrl: emu.endpoints.graph,
      caFile: emu.caFile,
    };
    const ctx = new ServiceContext(loadConfig((k) => values[k], {}));
    const inventory = await admin.inventory();
    const customers: string[] = inventory.customers.map((c: any) => c.id);
    await ctx.credentials.appToken("https://api.partnercenter.microsoft.com/.default"); // not part of the timing
    await admin.call("POST", "/metrics/reset");

    const started = Date.now();
    const results = await Promise.allSettled(
      customers.map((customerId) =>
        ctx.partnerCenter.createConsent(customerId, {
          applicationId: emu.credentials.controlPanelApplicationId,
          displayName: "Bench Control Panel",
          applicationGrants: [{ enterpriseApplicationId: microsoftGraphAppId, scope: "User.Read.All" }],
        }),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    const metrics = await admin.call("GET", "/metrics");
    const failed = results.filter((r) => r.status === "rejected").length;
    const throttled = Number(metrics.throttled?.consents ?? 0);
    const early = Object.values(metrics.earlyRetries ?? {}).reduce((a: number, b: any) => a + Number(b), 0);
    const rps = customers.length / seconds;
    console.log(`consent POSTs:        ${customers.length} (${failed} failed)`);
    console.log(`time:                 ${seconds.toFixed(2)} s (lower bound at 50/s: ${(customers.length / 50).toFixed(2)} s)`);
    console.log(`requests per second:  ${rps.toFixed(1)} (${((rps / 50) * 100).toFixed(0)}% of the 50/s limit)`);
    console.log(`429s received:        ${throttled} (${((throttled / customers.length) * 100).toFixed(2)}% of requests)`);
    console.log(`early retries:        ${early}`);
    if (failed > 0) process.exitCode = 1;
  } finally {
    await emu.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
