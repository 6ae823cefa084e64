/**
 * The engine floor's log (bench/floor.ts), apart from the floor itself: the bench reads it, and must
 * not load the provider (its import watches for the engine to exit).
 */
import * as fs from "fs";
import * as path from "path";

/** The module the bench program points its resources' `__provider` at instead of this package's. */
export const floorModule = path.join(__dirname, "floor.js");

/** The environment of a run through the engine floor: the bench program swaps the floor in, and the floor logs to `logFile`. */
export function floorEnv(logFile: string): Record<string, string> {
  return { BENCH_FLOOR_PROVIDER: floorModule, BENCH_FLOOR_LOG: logFile };
}

/**
 * With BENCH_FLOOR_LOG set, each create and read appends "<operation> <epoch ms>" to that file: the
 * floor's span, first to last operation the engine sent, the counterpart of the request span the
 * emulator logs for the real provider.
 */
export function record(operation: "create" | "read"): void {
  if (process.env.BENCH_FLOOR_LOG) fs.appendFileSync(process.env.BENCH_FLOOR_LOG, `${operation} ${Date.now()}\n`);
}

/** First to last time the engine called `operation` on the floor, from its BENCH_FLOOR_LOG file (0 without any). */
export function floorSpanMs(logFile: string, operation: "create" | "read"): number {
  const times = fs.existsSync(logFile)
    ? fs
        .readFileSync(logFile, "utf8")
        .split("\n")
        .filter((line) => line.startsWith(`${operation} `))
        .map((line) => Number(line.split(" ")[1]))
    : [];
  return times.length ? Math.max(...times) - Math.min(...times) : 0;
}
