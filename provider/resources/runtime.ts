/**
 * The provider process's one service context, made from the stack configuration that the dynamic
 * provider's `configure` hands over (credentials never travel inside the serialized provider).
 */
import { loadConfig } from "../config";
import { ServiceContext, serviceContext } from "../context";

/** Pulumi's dynamic-provider Config: keys with a namespace are read as they are. */
export interface StackConfig {
  get(key: string): string | undefined;
}

let current: ServiceContext | undefined;
let configError: Error | undefined;

/**
 * Called once per provider process. A bad configuration is kept, not thrown: `check` reports it as a
 * check failure (a clean message at preview), and any other operation throws it.
 */
export function configure(config: StackConfig): void {
  try {
    current = serviceContext(loadConfig((key) => config.get(`partnercenter:${key}`)));
    configError = undefined;
  } catch (err) {
    configError = err as Error;
  }
}

export function context(): ServiceContext {
  if (configError) throw configError;
  // Without `configure` (an engine that does not send config), the environment still works.
  current ??= serviceContext(loadConfig(() => undefined));
  return current;
}

/** The configuration problem as a check failure, or undefined when the configuration is good. */
export function configFailure(): { property: string; reason: string } | undefined {
  try {
    context();
    return undefined;
  } catch (err) {
    return { property: "partnercenter configuration", reason: (err as Error).message };
  }
}

/**
 * The engine's marker for a value known only at apply, as both adapters hand it to the resources
 * (@pulumi/pulumi's runtime.unknownValue, which test/unit/nativeProperties.test.ts checks this copy
 * against). Not imported from there: `@pulumi/pulumi/runtime` loads the whole SDK runtime, TypeScript
 * and npm's arborist included (its closure serializer), about 1.5 s of CPU at every start of the
 * plugin, which the engine starts once or twice per command.
 */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Drops unknown values (the engine's marker for a value known only at apply) before validation: they are checked again when they are known. */
export function knownOnly(news: Record<string, unknown>): { known: Record<string, unknown>; unknownKeys: Set<string> } {
  const known: Record<string, unknown> = {};
  const unknownKeys = new Set<string>();
  for (const [k, v] of Object.entries(news)) {
    if (k === "__provider") continue;
    if (v === unknownValue) unknownKeys.add(k);
    else known[k] = v;
  }
  return { known, unknownKeys };
}

/** Writes a warning the engine shows under the stack's diagnostics. */
export function warn(message: string): void {
  process.stderr.write(`warning: ${message}\n`);
}
