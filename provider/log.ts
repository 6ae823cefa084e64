/**
 * Where the provider's diagnostics go. Inside the dynamic-provider process, stderr (the engine shows a
 * plugin's stderr with `pulumi up -v=9 --logtostderr`); inside a program, Pulumi's own log. Debug lines
 * are written only when PARTNERCENTER_LOG=debug, so a normal run stays quiet. Everything is redacted.
 */
import { redactText } from "./redact";

type Sink = (message: string) => void;

let sink: Sink = (message) => process.stderr.write(`[partnercenter] ${message}\n`);

export function setLogSink(next: Sink): void {
  sink = next;
}

export function debug(message: string): void {
  if ((process.env.PARTNERCENTER_LOG ?? "").toLowerCase() === "debug") sink(redactText(message));
}

/** What starts the line {@link throttled} writes, so that a rollout runner can count 429s from the engine's events. */
export const throttledMarker = "[partnercenter] 429:";

/**
 * One line per 429 the service answered, when PARTNERCENTER_LOG is `throttling` (partnercenter-rollout
 * sets it to show 429s per shard) or `debug`; a plain run stays quiet, as the retries absorb them.
 */
export function throttled(message: string): void {
  const level = (process.env.PARTNERCENTER_LOG ?? "").toLowerCase();
  if (level === "throttling" || level === "debug") process.stderr.write(`${throttledMarker} ${redactText(message)}\n`);
}
