import * as pulumi from "@pulumi/pulumi";
import { configKeys, loadConfig } from "../provider/config";
import { ServiceContext, serviceContext } from "../provider/context";
import { setLogSink } from "../provider/log";
import { PartnerCenterError } from "../provider/errors";

/** Edit distance, case-insensitive: how far a mistyped key is from a known one. */
function distance(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[y.length];
}

/**
 * The `partnercenter:` stack config keys this package does not know, each named with the closest known
 * key: a mistyped key (`partnercenter:clientid`) would otherwise be ignored, and the error would be
 * about the key it was meant to be.
 */
export function unknownConfigKeys(stackKeys: string[]): string[] {
  const known = Object.keys(configKeys);
  return stackKeys
    .filter((k) => k.startsWith("partnercenter:") && !known.includes(k.slice("partnercenter:".length)))
    .map((k) => {
      const key = k.slice("partnercenter:".length);
      const [closest] = known.map((c) => ({ c, d: distance(key, c) })).sort((a, b) => a.d - b.d);
      return closest.d <= Math.max(2, Math.floor(key.length / 3)) ? `${k} (did you mean partnercenter:${closest.c}?)` : k;
    });
}

let keysChecked = false;
/** Fails once per program on unknown `partnercenter:` keys (see {@link unknownConfigKeys}). */
export function checkConfigKeys(): void {
  if (keysChecked) return;
  keysChecked = true;
  const unknown = unknownConfigKeys(Object.keys(pulumi.runtime.allConfig()));
  if (unknown.length > 0) {
    throw new PartnerCenterError(
      { operation: "read the partnercenter provider configuration" },
      `Unknown partnercenter configuration key(s): ${unknown.join(", ")}. The keys are ${Object.keys(configKeys).join(", ")} (README.md "Configuration"); remove the unknown ones with \`pulumi config rm <key>\`.`,
    );
  }
}

/**
 * Data sources run in the program, so they read the same `partnercenter:` stack config (and the same
 * environment fallbacks) here. runtime.getConfig reads secrets without the plain-text warning; the
 * values stay in this process and are registered for redaction.
 */
export function programContext(): ServiceContext {
  checkConfigKeys();
  // In a program, diagnostics go through Pulumi's own log (shown with `pulumi up --debug`).
  setLogSink((message) => void pulumi.log.debug(message));
  return serviceContext(loadConfig((key) => pulumi.runtime.getConfig(`partnercenter:${key}`)));
}
