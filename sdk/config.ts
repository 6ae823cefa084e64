import * as pulumi from "@pulumi/pulumi";
import { configKeys, loadConfig, secretConfigKeys } from "../provider/config";
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

/**
 * The secret `partnercenter:` keys that the stack holds in plain text (`pulumi config set --plaintext`).
 * The engine keeps the provider's configuration in the state, as the stack file gives it: a plain
 * value there is a plain value in the state and its backups. The language host tells the program which
 * keys are secret (`PULUMI_CONFIG_SECRET_KEYS`, which `@pulumi/pulumi` reads into its config store);
 * without that list (a program not run by the engine, e.g. under mocks) nothing can be told apart.
 */
export function plainTextSecretKeys(stackKeys: string[], isSecret: (key: string) => boolean): string[] {
  return secretConfigKeys.map((k) => `partnercenter:${k}`).filter((k) => stackKeys.includes(k) && !isSecret(k));
}

/** `@pulumi/pulumi`'s own test for a secret config key (in every 3.x runtime, not in its typings); undefined when the engine gave no list. */
function engineSecretTest(): ((key: string) => boolean) | undefined {
  const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
  if (typeof isConfigSecret !== "function" || process.env.PULUMI_CONFIG_SECRET_KEYS === undefined) return undefined;
  return isConfigSecret;
}

let keysChecked = false;
/**
 * Fails once per program on unknown `partnercenter:` keys (see {@link unknownConfigKeys}) and on
 * secrets given in plain text (see {@link plainTextSecretKeys}): both before any call and before any
 * resource is registered, so `pulumi preview` says it and `pulumi up` writes nothing to the state.
 */
export function checkConfigKeys(): void {
  if (keysChecked) return;
  keysChecked = true;
  const stackKeys = Object.keys(pulumi.runtime.allConfig());
  const operation = { operation: "read the partnercenter provider configuration" };
  const unknown = unknownConfigKeys(stackKeys);
  if (unknown.length > 0) {
    throw new PartnerCenterError(
      operation,
      `Unknown partnercenter configuration key(s): ${unknown.join(", ")}. The keys are ${Object.keys(configKeys).join(", ")} (README.md "Configuration"); remove the unknown ones with \`pulumi config rm <key>\`.`,
    );
  }
  const isSecret = engineSecretTest();
  const plain = isSecret ? plainTextSecretKeys(stackKeys, isSecret) : [];
  if (plain.length > 0) {
    throw new PartnerCenterError(
      operation,
      `${plain.join(", ")} ${plain.length > 1 ? "are" : "is"} set in plain text in the stack's configuration: the engine would keep ${plain.length > 1 ? "them" : "it"} unencrypted in the state. Set ${plain.length > 1 ? "each" : "it"} again as a secret: ${plain.map((k) => `\`pulumi config set --secret ${k} <value>\``).join(", ")} (or use the environment variable README.md "Configuration" names). Nothing was sent to the service.`,
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
