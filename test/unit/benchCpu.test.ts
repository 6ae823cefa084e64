/**
 * The bench's CPU seconds per process kind (bench/cli.ts) come from `ps` samples; the last sample of
 * a process is often after it exited, when `ps` shows it as `[node] <defunct>`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { procRows, recordCpu, type CpuSeconds, type PsRow } from "../../bench/cli";

const row = (pid: number, ppid: number, cpuSeconds: number, args: string): PsRow => ({ pid, ppid, rssKb: 0, cpuSeconds, args });

describe("recordCpu", () => {
  it("keeps a program's and a provider's seconds under their kind after they exit", () => {
    const cpu = new Map<number, { kind: keyof CpuSeconds; seconds: number }>();
    const engine = row(10, 1, 1, "/cache/bin/pulumi --non-interactive preview --refresh");
    const host = row(11, 10, 0, "/cache/bin/pulumi-language-nodejs 127.0.0.1:1");
    recordCpu(
      cpu,
      [
        engine,
        host,
        row(12, 11, 2, "node /repo/node_modules/@pulumi/pulumi/cmd/run/index.js --monitor 127.0.0.1:2"),
        row(13, 10, 0, "/bin/sh /cache/bin/pulumi-resource-pulumi-nodejs 127.0.0.1:1"),
      ],
      10,
    );
    recordCpu(
      cpu,
      [engine, host, row(12, 11, 5, "[node] <defunct>"), row(13, 10, 3, "node /repo/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js 127.0.0.1:1")],
      10,
    );
    recordCpu(cpu, [engine, host, row(13, 10, 7, "[node] <defunct>")], 10);
    expect(Object.fromEntries(cpu)).toEqual({
      10: { kind: "engine", seconds: 1 },
      11: { kind: "other", seconds: 0 },
      12: { kind: "program", seconds: 5 },
      13: { kind: "provider", seconds: 7 },
    });
  });
});

describe("procRows", () => {
  it("reads what `ps -eo pid,ppid,rss,times,args` shows from /proc: this process among them", () => {
    const me = procRows().find((r) => r.pid === process.pid);
    expect(me).toEqual(expect.objectContaining({ ppid: process.ppid, args: expect.stringContaining(process.argv[1]) }));
    expect(me!.rssKb).toBeGreaterThan(10_000);
    expect(me!.cpuSeconds).toBeGreaterThan(0);
  });

  it("parses a command name with spaces and parentheses, and shows a zombie as ps does", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcenter-proc-"));
    const proc = (pid: number, stat: string, cmdline: string) => {
      fs.mkdirSync(path.join(dir, String(pid)));
      fs.writeFileSync(path.join(dir, String(pid), "stat"), stat);
      fs.writeFileSync(path.join(dir, String(pid), "cmdline"), cmdline);
    };
    // Fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime … starttime vsize rss.
    proc(41, "41 (node (a) b) S 7 41 41 0 -1 0 0 0 0 0 250 100 0 0 20 0 11 0 500 1000 3000 …\n", "node\0/x/cmd/run/index.js\0--monitor\0");
    proc(42, "42 (node) Z 41 41 41 0 -1 0 0 0 0 0 700 50 0 0 20 0 1 0 600 0 0 …\n", "");
    fs.mkdirSync(path.join(dir, "self"));
    try {
      expect(procRows(dir).sort((a, b) => a.pid - b.pid)).toEqual([
        { pid: 41, ppid: 7, rssKb: 12_000, cpuSeconds: 3.5, args: "node /x/cmd/run/index.js --monitor" },
        { pid: 42, ppid: 41, rssKb: 0, cpuSeconds: 7.5, args: "[node] <defunct>" },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("forgets the command line of a process once it has exited (a full bench run starts thousands)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcenter-proc-"));
    const proc = (cmdline: string) => {
      fs.mkdirSync(path.join(dir, "43"), { recursive: true });
      fs.writeFileSync(path.join(dir, "43", "stat"), "43 (node) S 7 43 43 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 900 1000 10 …\n");
      fs.writeFileSync(path.join(dir, "43", "cmdline"), cmdline);
    };
    try {
      proc("node\0first.js\0");
      expect(procRows(dir).map((r) => r.args)).toEqual(["node first.js"]);
      fs.rmSync(path.join(dir, "43"), { recursive: true });
      expect(procRows(dir)).toEqual([]);
      // Same pid and start time as the exited one: only a remembered entry could answer "first.js".
      proc("node\0second.js\0");
      expect(procRows(dir).map((r) => r.args)).toEqual(["node second.js"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
