/** `npm run bench:consents` (README): runs and prints its figures; small count, no timing assertion. */
import { spawn } from "child_process";
import * as path from "path";

it("prints requests per second and 429s for consent POSTs against the emulator", async () => {
  const script = path.join(__dirname, "..", "..", "dist", "bench", "consentPosts.js");
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
    const child = spawn("node", [script, "--count=60"]);
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    child.on("close", (c) => resolve({ code: c ?? -1, output }));
  });
  expect(output).toMatch(/consent POSTs:\s+60 \(0 failed\)/);
  expect(output).toMatch(/requests per second:\s+[\d.]+ \(\d+% of the 50\/s limit\)/);
  expect(output).toMatch(/429s received:\s+\d+/);
  expect(output).toMatch(/early retries:\s+0/);
  expect(code).toBe(0);
});
