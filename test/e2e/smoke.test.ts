import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { copyProgram, createEngineSandbox, EngineSandbox, localProgramStack, runPulumi } from "../support/engine";

const program = path.join(__dirname, "programs", "smoke");

describe("the real Pulumi engine, offline", () => {
  let sandbox: EngineSandbox;
  let notesDir: string;

  beforeAll(() => {
    sandbox = createEngineSandbox();
    notesDir = fs.mkdtempSync(path.join(os.tmpdir(), "pcenter-notes-"));
  });
  afterAll(() => {
    sandbox?.dispose();
    fs.rmSync(notesDir, { recursive: true, force: true });
  });

  it("prints the version it was built at: the installed SDK's, or the one CI asked for instead", async () => {
    const res = await runPulumi(sandbox, ["version"], program);
    // .ci/run's second pass sets PULUMI_PARTNERCENTER_CLI_VERSION when the Go module proxy does not
    // serve the newest SDK's CLI (see .ci/run); otherwise the CLI is the installed SDK's version.
    const wanted = process.env.PULUMI_PARTNERCENTER_CLI_VERSION ?? JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")).version;
    expect(res.stdout.trim()).toBe(`v${wanted.replace(/^v/, "")}`);
  });

  it("reuses the cached CLI on a second run instead of rebuilding it", () => {
    const res = spawnSync("bash", [path.join(__dirname, "..", "..", "scripts", "ensure-pulumi.sh")], { encoding: "utf8" });
    expect(res.status).toBe(0);
    expect(res.stderr).toMatch(/using the cached build|from PATH/);
    expect(res.stderr).not.toContain("building the Pulumi CLI");
    const bin = res.stdout.trim().split("\n").pop()!;
    for (const tool of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
      expect(fs.existsSync(path.join(bin, tool))).toBe(true);
    }
  });

  it("runs up, preview, refresh and destroy on a dynamic resource", async () => {
    const stack = await localProgramStack(sandbox, copyProgram(sandbox, program), "dev");
    await stack.setConfig("dir", { value: notesDir });
    await stack.setConfig("text", { value: "hello from the engine" });

    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    const file = path.join(notesDir, "greeting.txt");
    expect(up.outputs.noteId.value).toBe(file);
    expect(up.outputs.noteBytes.value).toBe("hello from the engine".length);
    expect(fs.readFileSync(file, "utf8")).toBe("hello from the engine");

    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ same: 2 });

    // Change the "service object" behind Pulumi's back: refresh must pick it up.
    fs.writeFileSync(file, "edited");
    const refresh = await stack.refresh();
    expect(refresh.summary.result).toBe("succeeded");
    expect(refresh.stdout).toMatch(/~ +pulumi-nodejs:dynamic:Resource +greeting +(refreshing|updated)/);

    const state = await stack.exportStack();
    const note = state.deployment.resources.find((r: any) => r.type === "pulumi-nodejs:dynamic:Resource");
    expect(note.outputs.text).toBe("edited");
    expect(note.outputs.bytes).toBe(6);
    expect(typeof note.outputs.__provider).toBe("string");

    const destroy = await stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect(fs.existsSync(file)).toBe(false);
    const after = await stack.exportStack();
    expect(after.deployment.resources ?? []).toHaveLength(0);
  });
});
