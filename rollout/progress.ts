/**
 * One progress display for every shard running: resources done of those declared so far, failures
 * and 429s per shard. On a terminal it redraws in place; in a CI log it prints a shard's line when it
 * changed, at most every few seconds, so that a long rollout does not flood the log.
 */
import type { ShardRun } from "./shard";

const line = (r: ShardRun, command: string) => {
  const p = r.progress;
  const state = r.status ?? "running";
  return (
    `${r.wave} ${r.shard.index}/${r.shard.count} (${r.stack.name}) ${command}: ${p.done}/${p.total} done, ${p.failed} failed, ${p.throttled429} × 429` +
    `${r.recovered ? ", recovered" : ""} [${state}${r.note ? `: ${r.note}` : ""}]`
  );
};

export class ProgressDisplay {
  private timer?: NodeJS.Timeout;
  private drawn = 0;
  private last = new Map<ShardRun, string>();

  constructor(
    private readonly out: NodeJS.WriteStream | NodeJS.WritableStream,
    private readonly command: string,
    private readonly runs: ShardRun[],
    private readonly everyMs = (out as NodeJS.WriteStream).isTTY ? 500 : 5000,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.draw(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.draw();
  }

  private draw(): void {
    const lines = this.runs.map((r) => line(r, this.command));
    if ((this.out as NodeJS.WriteStream).isTTY) {
      if (this.drawn) this.out.write(`\x1b[${this.drawn}A`);
      this.out.write(lines.map((l) => `\x1b[2K${l}\n`).join(""));
      this.drawn = lines.length;
      return;
    }
    this.runs.forEach((r, i) => {
      if (this.last.get(r) === lines[i]) return;
      this.last.set(r, lines[i]);
      this.out.write(`${lines[i]}\n`);
    });
  }
}
