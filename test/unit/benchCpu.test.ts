/**
 * The bench's CPU seconds per process kind (bench/cli.ts) come from `ps` samples; the last sample of
 * a process is often after it exited, when `ps` shows it as `[node] <defunct>`.
 */
import { recordCpu, type CpuSeconds, type PsRow } from "../../bench/cli";

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
