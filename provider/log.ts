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
