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

export function configure(config: StackConfig): void {
  current = serviceContext(loadConfig((key) => config.get(`partnercenter:${key}`)));
}

export function context(): ServiceContext {
  // Without `configure` (an engine that does not send config), the environment still works.
  current ??= serviceContext(loadConfig(() => undefined));
  return current;
}

/** The engine's marker for a value not known until apply (e.g. an id from a resource not yet created). */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Drops unknown values before validation: they are checked again when they are known. */
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
