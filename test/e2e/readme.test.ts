/**
 * Every code block of README.md and examples/*\/README.md runs against the emulator's default seed,
 * extracted at test time (see test/support/readmeBlocks.ts for the info strings).
 *
 * - README.md's `run` and `file=` blocks are "Use it in your own project": test/e2e/ownProject.test.ts
 *   runs them from a packed tarball outside the repo. Its other blocks are listed below with the test
 *   that runs them; a new block must be added to one or the other.
 * - An example's `run` blocks run here, in a copy of the example (this checkout's node_modules stand in
 *   for `npm install`), with the emulator's values in place of the `<…>` a partner fills in and its
 *   endpoints and CA in the environment (what `partnercenter-emulator --env` prints); its `file=`
 *   blocks are written beside the program and `pulumi up` on their stack.
 * - What the user then checks (see `promises` below): the quickstart's user and consent on the
 *   service, each multi-customer-rollout wave's customers consented once; and after the destroy, no
 *   consent left that the blocks made. These runs are the examples' only ones through the CLI as a
 *   user types it (test/e2e/examples.test.ts runs the drift-detection workflow).
 */
import * as fs from "fs";
import * as path from "path";
import { startEmulator, type AdminClient } from "../../emulator";
import { copyProgram, createEngineSandbox, EngineSandbox, repoRoot } from "../support/engine";
import { runProcess } from "../support/process";
import { codeBlocks, where } from "../support/readmeBlocks";
import { consentsOf, customerOf, summary, usersOf } from "../support/inventory";
import { recoveryBlockFirstLine } from "../reliability/recovery";

/** README.md blocks that this file and ownProject.test.ts do not run, by their first line, and what runs them. */
const runElsewhere: Record<string, string> = {
  "npm run demo   # the main job, end to end, against the local emulator": "test/e2e/demo.test.ts runs `npm run demo`; `npm test` is CI itself (.ci/run)",
  [recoveryBlockFirstLine]:
    "test/reliability/recovery.ts reads this block and runs it after kills: test/e2e/interrupted.test.ts, trust.test.ts, the model-based test and the reliability suite",
  [`pulumi stack export | jq -r '.deployment.resources[] | select(.type | startswith("pulumi-nodejs:dynamic/")) | "\\(.type) \\(.urn) \\(.id)"'`]:
    "test/e2e/yamlQuickstart.test.ts runs this recipe's import, state delete and switch of the program on a stack of one user and one consent",
  "npm run emulator -- --port 8443 --state-dir ~/.partnercenter-emulator   # in a clone of this repository":
    "long-running servers; ownProject.test.ts starts the emulator with these options from the installed package, test/emulator/persistenceCli.test.ts runs `ids` and `ids --json`",
};

const fabrikam = "5c5a59ec-def0-539c-8986-36777985a6ae";

/** How an example's run blocks end, as its README promises them: checked once they have all run. */
interface Ran {
  admin: AdminClient;
  controlPanelApplicationId: string;
  /** `pulumi stack output --json` of a stack the blocks made. */
  outputs(stack: string): Promise<Record<string, any>>;
}
const promises: Record<string, (ran: Ran) => Promise<void>> = {
  // One customer gets a break-glass user and the control panel's consent.
  quickstart: async ({ admin, controlPanelApplicationId, outputs }) => {
    const inventory = await admin.inventory();
    const out = await outputs("dev");
    expect(out.customer).toBe(customerOf(inventory, fabrikam).displayName);
    expect(out.adminUserPrincipalName).toBe("breakglass@fabrikam.onmicrosoft.com");
    expect(usersOf(inventory, fabrikam).map((u: any) => u.id)).toContain(out.adminUserId);
    expect(consentsOf(inventory, fabrikam).map((c: any) => c.applicationId)).toEqual([controlPanelApplicationId]);
  },
  // The two wave stacks split the consentable customers between them, each consented once.
  "multi-customer-rollout": async ({ admin, outputs }) => {
    const waves = await Promise.all(["wave1", "wave2"].map(async (w) => (await outputs(w)).customers as string[]));
    for (const wave of waves) expect(wave.length).toBeGreaterThan(2);
    expect(waves[0].filter((name) => waves[1].includes(name))).toEqual([]);
    const inventory = await admin.inventory();
    const customers = Object.values(inventory.customers) as any[];
    expect(
      customers
        .filter((c) => consentsOf(inventory, c.id).length > 0)
        .map((c) => c.displayName)
        .sort(),
    ).toEqual([...waves[0], ...waves[1]].sort());
    for (const c of customers) expect(consentsOf(inventory, c.id).length).toBeLessThanOrEqual(1);
  },
};

describe("README code blocks", () => {
  it("README.md: every block is run by a test", () => {
    const unaccounted = codeBlocks(path.join(repoRoot, "README.md"))
      .filter((b) => !b.run && !b.file && !runElsewhere[b.text.split("\n")[0]])
      .map((b) => `${where("README.md", b)}: ${b.text.split("\n")[0]}`);
    expect(unaccounted).toEqual([]);
    const files = codeBlocks(path.join(repoRoot, "README.md"))
      .filter((b) => b.file)
      .map((b) => b.file);
    expect(files.sort()).toEqual(["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"]);
  });

  describe("examples/*/README.md against the default seed", () => {
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    let admin: AdminClient;
    let sandbox: EngineSandbox;

    beforeAll(async () => {
      emulator = await startEmulator();
      admin = emulator.admin;
      sandbox = createEngineSandbox();
    });
    afterAll(async () => {
      await emulator?.stop();
      sandbox?.dispose();
    });

    const examples = fs.readdirSync(path.join(repoRoot, "examples")).filter((d) => fs.existsSync(path.join(repoRoot, "examples", d, "README.md")));
    it.each(examples)("%s", async (example) => {
      await admin.call("POST", "/reset");
      const seeded = summary(await admin.inventory());
      const readme = path.join(repoRoot, "examples", example, "README.md");
      const blocks = codeBlocks(readme);
      const label = `examples/${example}/README.md`;
      const unaccounted = blocks.filter((b) => !b.run && !b.file).map((b) => where(label, b));
      expect(unaccounted).toEqual([]);

      const values: Record<string, string> = {
        "<customer tenant id>": fabrikam,
        "<the customer's domain>": "fabrikam.onmicrosoft.com",
        "<your CPV app id>": emulator.credentials.controlPanelApplicationId,
        "<a strong password>": "Readme-Passw0rd!",
        "<app id>": emulator.credentials.clientId,
        "<partner tenant id>": emulator.credentials.partnerTenantId,
        "<secret>": emulator.credentials.clientSecret,
        "<partner user's refresh token>": emulator.credentials.refreshToken,
        // The default seed's first partner security group ("GDAP User Admins").
        "<partner security group id>": "1b7b0e7a-6c0d-4d6e-9d4b-2f3c1a9e5b01",
      };
      const fill = (b: (typeof blocks)[number]) =>
        b.text
          .split("\n")
          .map((line) => (/^npm (install|ci)\b/.test(line) ? ": # npm install: the copy resolves this checkout's node_modules" : line))
          .join("\n")
          .replace(/'?<[^<>\n]+>'?/g, (p) => {
            const key = p.replace(/^'|'$/g, "");
            if (!(key in values)) throw new Error(`${where(label, b)}: no emulator value for the placeholder ${key}`);
            return `'${values[key]}'`;
          });

      const program = copyProgram(sandbox, path.join(repoRoot, "examples", example));
      const env = {
        ...(process.env as Record<string, string>),
        ...sandbox.env,
        PARTNERCENTER_AUTHORITY_HOST: emulator.endpoints.authorityHost,
        PARTNERCENTER_API_URL: emulator.endpoints.partnerCenter,
        PARTNERCENTER_DELEGATED_ADMIN_URL: emulator.endpoints.delegatedAdmin,
        PARTNERCENTER_GRAPH_URL: emulator.endpoints.graph,
        PARTNERCENTER_CA_FILE: emulator.caFile,
      };
      // A stack of a file= block runs as its CI job would: the credentials in the environment too.
      const ciEnv = {
        PARTNERCENTER_CLIENT_ID: emulator.credentials.clientId,
        PARTNERCENTER_TENANT_ID: emulator.credentials.partnerTenantId,
        PARTNERCENTER_CLIENT_SECRET: emulator.credentials.clientSecret,
        PARTNERCENTER_REFRESH_TOKEN: emulator.credentials.refreshToken,
      };
      const bash = (script: string, extraEnv: Record<string, string> = {}) =>
        runProcess("bash", ["-euo", "pipefail", "-c", script], { cwd: program, env: { ...env, ...extraEnv } });
      const mustPass = async (what: string, script: string, extraEnv: Record<string, string> = {}) => {
        const res = await bash(script, extraEnv);
        if (res.status !== 0) throw new Error(`${what} failed (exit ${res.status}):\n${res.output.slice(-5000)}`);
        expect(res.output).not.toMatch(/\d+ errored/);
        return res.output;
      };

      try {
        for (const b of blocks.filter((b) => b.run)) await mustPass(where(label, b), fill(b));
        await promises[example]?.({
          admin,
          controlPanelApplicationId: emulator.credentials.controlPanelApplicationId,
          outputs: async (stack) => {
            const res = await bash(`pulumi stack output --json --stack ${stack}`);
            if (res.status !== 0) throw new Error(`${label}: pulumi stack output --stack ${stack} failed:\n${res.output}`);
            return JSON.parse(res.stdout);
          },
        });
        for (const b of blocks.filter((b) => b.file)) {
          fs.writeFileSync(path.join(program, b.file!), b.text);
          const stack = /^Pulumi\.(.+)\.yaml$/.exec(b.file!)?.[1];
          if (!stack) throw new Error(`${where(label, b)}: only Pulumi.<stack>.yaml files are expected in an example's README`);
          await mustPass(
            where(label, b),
            `pulumi stack select ${stack} --create\npulumi config set controlPanelApplicationId '${values["<your CPV app id>"]}'\npulumi up --yes`,
            ciEnv,
          );
        }
      } finally {
        // Every stack the blocks made, destroyed with the program's (current) provider configuration.
        const stacks = await bash("pulumi stack ls --json");
        for (const s of stacks.status === 0 ? (JSON.parse(stacks.output) as { name: string }[]) : []) {
          await bash(`pulumi destroy --yes --run-program --stack ${s.name} && pulumi stack rm --yes --stack ${s.name}`, ciEnv);
        }
      }
      // The destroys took back every consent the blocks made.
      const consents = (inv: ReturnType<typeof summary>) => Object.fromEntries(Object.entries(inv).map(([id, c]) => [id, c.consents]));
      expect(consents(summary(await admin.inventory()))).toEqual(consents(seeded));
    });
  });
});
