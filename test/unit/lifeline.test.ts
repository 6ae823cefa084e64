/**
 * The provider process ends with its engine (provider/lifeline.ts): a process that calls watchEngine
 * with the dynamic-provider host's argv exits once nothing listens at the engine's address, and on
 * EPIPE from a stderr nobody reads, instead of spinning on it for ever.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { setTimeout as sleep } from "timers/promises";
import { engineAddress } from "../../provider/lifeline";

const lifeline = path.resolve(__dirname, "..", "..", "dist", "provider", "lifeline.js");

/** A stand-in for the host: a script named like Pulumi's dynamic-provider entry that keeps running. */
function hostScript(body: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcenter-lifeline-"));
  const file = path.join(dir, "dynamic-provider.js");
  fs.writeFileSync(file, `require(${JSON.stringify(lifeline)}).watchEngine();\nsetInterval(() => {}, 1000);\n${body}\n`);
  return file;
}

function exitOf(child: ReturnType<typeof spawn>, withinMs: number): Promise<number | string> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      child.kill("SIGKILL");
      resolve("still running");
    }, withinMs);
    child.on("exit", (code, signal) => {
      clearTimeout(t);
      resolve(code ?? String(signal));
    });
  });
}

describe("the provider process's lifeline", () => {
  it("finds the engine's address among the host's arguments, and nothing in other processes", () => {
    expect(engineAddress(["node", "/x/@pulumi/pulumi/cmd/dynamic-provider", "127.0.0.1:40123"])).toBe("127.0.0.1:40123");
    expect(engineAddress(["node", "/x/cmd/dynamic-provider/index.js", "--logtostderr", "-v=9", "127.0.0.1:5"])).toBe("127.0.0.1:5");
    expect(engineAddress(["node", "/usr/lib/node_modules/jest/bin/jest.js", "127.0.0.1:5"])).toBeUndefined();
  });

  it("exits once the engine stops listening", async () => {
    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const address = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    const child = spawn(process.execPath, [hostScript(""), address], { stdio: "ignore" });
    // Alive while the engine listens.
    expect(await exitOf(child, 4500)).toBe("still running");
    const again = spawn(process.execPath, [hostScript(""), address], { stdio: "ignore" });
    await sleep(500);
    await new Promise<void>((r) => server.close(() => r()));
    expect(await exitOf(again, 10_000)).toBe(1);
  }, 30_000);

  it("exits on EPIPE from a stderr nobody reads, instead of spinning", async () => {
    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const address = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    // As in Pulumi's host: an uncaughtException handler that writes every error to stderr again.
    const host = hostScript(`process.on("uncaughtException", (e) => console.error(e.stack)); setInterval(() => process.stderr.write("log line\\n"), 10);`);
    const child = spawn(process.execPath, [host, address], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    await sleep(300);
    child.stderr!.destroy();
    const code = await exitOf(child, 8000);
    server.close();
    expect(code).toBe(1);
  }, 30_000);
});
