/**
 * The drift-detection example's workflow, its steps run as a CI runner runs them, with the real CLI
 * against the emulator: credentials from the environment (PARTNERCENTER_*), as a CI sets them. The
 * other examples run from their READMEs' commands, with the checks a user makes after them
 * (test/e2e/readme.test.ts): a second run of the same programs here would assert nothing more.
 */
import * as fs from "fs";
import * as path from "path";
import { AdminClient } from "../../emulator";
import { startProcess } from "../support/process";
import { copyProgram, createEngineSandbox, EngineSandbox } from "../support/engine";
import { customerOf, usersOf } from "../support/inventory";

const examples = path.join(__dirname, "..", "..", "examples");

describe("the examples", () => {
  // The workflow starts its own emulator (its first steps), as the job does on a runner.
  let sandbox: EngineSandbox;
  beforeAll(() => {
    sandbox = createEngineSandbox();
  });
  afterAll(() => sandbox?.dispose());

  it("drift-detection: the workflow's pull-request job runs as shipped; a clean preview passes, drift fails it", async () => {
    // The copy sits two folders below the repo, as the example does, so its `file:../..` dependency is this checkout.
    const program = copyProgram(sandbox, path.join(examples, "drift-detection"));
    // js-yaml comes with jest (no types of its own here): loaded untyped.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const yaml = require("js-yaml") as { load(text: string): any };
    const job = yaml.load(fs.readFileSync(path.join(program, ".github", "workflows", "drift.yml"), "utf8")).jobs["preview-against-emulator"];
    const githubEnv = path.join(program, "github.env");
    fs.writeFileSync(githubEnv, "");
    const expand = (v: string) => String(v).replace(/\$\{\{\s*github\.workspace\s*\}\}/g, program);
    const jobEnv = Object.fromEntries(Object.entries(job.env ?? {}).map(([k, v]) => [k, expand(v as string)]));
    const stepEnv = () => ({
      ...(process.env as Record<string, string>),
      ...sandbox.env,
      ...jobEnv,
      GITHUB_ENV: githubEnv,
      GITHUB_RUN_ID: "1",
      // What earlier steps wrote to $GITHUB_ENV, as the runner passes it on.
      ...Object.fromEntries(
        fs
          .readFileSync(githubEnv, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
      ),
    });
    const groups: number[] = [];
    const runStep = (script: string) => {
      // The emulator a step leaves running keeps the pipes open: the step ends when bash exits.
      const { child, done } = startProcess("bash", ["-e", "-c", script], { cwd: program, env: stepEnv(), detached: true, endOn: "exit" });
      groups.push(child.pid!);
      return done;
    };
    try {
      // `uses:` steps are the checkout, Node.js and the Pulumi CLI: here, the test's own.
      for (const step of job.steps.filter((s: any) => s.run)) {
        const res = await runStep(step.run);
        if (res.status !== 0) throw new Error(`step '${step.name ?? step.run}' failed (${res.status}):\n${res.output.slice(-4000)}`);
      }
      const emulatorInfo = JSON.parse(fs.readFileSync(path.join(program, "emulator.json"), "utf8"));
      const workflowAdmin = new AdminClient(emulatorInfo.endpoints.admin, fs.readFileSync(emulatorInfo.caFile, "utf8"));
      try {
        const [first] = yaml.load(fs.readFileSync(path.join(program, "Pulumi.pr.yaml"), "utf8")).config["partnercenter-drift:customers"] as { id: string }[];
        const user = usersOf(await workflowAdmin.inventory(), first.id).find((u: any) => u.userPrincipalName.startsWith("breakglass@"));
        await workflowAdmin.call("PATCH", `/customers/${first.id}/users/${user.id}`, { displayName: "Portal Edit" });
        const drift = await runStep("pulumi preview --refresh --run-program --expect-no-changes --diff --non-interactive --stack pr");
        expect(drift.status).not.toBe(0);
        expect(drift.output).toContain("Portal Edit");
        const destroy = await runStep("pulumi destroy --yes --run-program --non-interactive --stack pr");
        expect(destroy.status).toBe(0);
        expect(customerOf(await workflowAdmin.inventory(), first.id)).toBeDefined();
      } finally {
        await workflowAdmin.close();
      }
    } finally {
      for (const pgid of groups) {
        try {
          process.kill(-pgid, "SIGTERM");
        } catch {
          /* already gone */
        }
      }
    }
  });
});
