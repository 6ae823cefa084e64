/** `npm run bench:consents` (README): runs and prints its figures; small count, no timing assertion. */
import * as path from "path";
import { runProcess } from "../support/process";

it("prints requests per second and 429s for consent POSTs against the emulator", async () => {
  const script = path.join(__dirname, "..", "..", "dist", "bench", "consentPosts.js");
  const { status: code, output } = await runProcess(process.execPath, [script, "--count", "60"]);
  expect(output).toMatch(/consent POSTs:\s+60 \(0 failed\)/);
  expect(output).toMatch(/requests per second:\s+[\d.]+ \(\d+% of the 50\/s limit\)/);
  expect(output).toMatch(/429s received:\s+\d+/);
  expect(output).toMatch(/early retries:\s+0/);
  expect(code).toBe(0);
});
