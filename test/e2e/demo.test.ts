/** The README's main command: the demo runs to the end and shows the drift found and repaired. */
import { spawn } from "child_process";
import * as path from "path";

it("npm run demo finds the drift made out of band and repairs it", async () => {
  const repo = path.join(__dirname, "..", "..");
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
    const child = spawn("node", [path.join(repo, "dist", "scripts", "demo.js")], { cwd: repo, env: process.env });
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    child.on("close", (c) => resolve({ code: c ?? -1, output }));
  });
  expect(output).toContain("the preview shows the renamed user (update) and the revoked grant (replace the consent)");
  expect(output).toMatch(/~ 1 to update[\s\S]*\+-1 to replace/);
  expect(output).toContain("no changes: the customers are as the program says");
  expect(output).toContain("Demo finished: drift found and repaired.");
  expect(output).not.toMatch(/Demo-[a-z0-9]{8}-Aa1!/); // the generated password never shows
  expect(code).toBe(0);
});
