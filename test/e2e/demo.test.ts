/** The README's main command: the demo runs to the end and shows the drift found and repaired. */
import * as path from "path";
import { runProcess } from "../support/process";

it("npm run demo finds the drift made out of band and repairs it", async () => {
  const repo = path.join(__dirname, "..", "..");
  const { status: code, output } = await runProcess(process.execPath, [path.join(repo, "dist", "scripts", "demo.js")], { cwd: repo });
  expect(output).toContain("the preview shows the renamed user (update) and the revoked grant (replace the consent)");
  expect(output).toMatch(/~ 1 to update[\s\S]*\+-1 to replace/);
  expect(output).toContain("no changes: the customers are as the program says");
  expect(output).toContain("Demo finished: drift found and repaired.");
  expect(output).not.toMatch(/Demo-[a-z0-9]{8}-Aa1!/); // the generated password never shows
  expect(code).toBe(0);
});
