/**
 * What a rollout is: the command, the program, the shards, the waves and the stacks they make, read
 * from the command line and the plan file, every mistake reported (naming the flag or the field)
 * before any stack is touched.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { z } from "zod";
import { parseShard, type Shard } from "../sdk/rollout";

export const commands = ["preview", "up", "refresh", "destroy"] as const;
export type RolloutCommand = (typeof commands)[number];

/** A config value as the plan and the config file write it: plain, or `{ secret: "…" }` to be set as a secret. */
export const configValueSchema = z.union([z.string(), z.number(), z.boolean(), z.object({ secret: z.string() }).strict()]);
export type PlanConfigValue = z.infer<typeof configValueSchema>;
export const configMapSchema = z.record(z.string().min(1), configValueSchema);

const stackNamePart = /^[A-Za-z0-9_.-]+$/;

/** The plan file (`--waves plan.json`): the waves in order, each with the stack config its stacks get. */
export const planSchema = z
  .object({
    /** Stack names: `{wave}`, `{shard}` and `{shards}` are replaced (default {@link defaultStackName}). */
    stackName: z.string().min(1).optional(),
    /** Failures a wave may have before the later waves are not started (default 0). */
    maxFailures: z.number().int().min(0).optional(),
    waves: z
      .array(
        z
          .object({
            name: z.string().regex(stackNamePart, "a wave's name may hold letters, digits, _ . and - only (it becomes part of a stack name)"),
            /** Stack config of this wave's stacks (keys without a namespace are the program's, as in `pulumi config set`). */
            config: configMapSchema.default({}),
            /** This wave's own failure threshold (default: the plan's). */
            maxFailures: z.number().int().min(0).optional(),
          })
          .strict(),
      )
      .min(1, "a plan needs at least one wave"),
  })
  .strict();
export type Plan = z.infer<typeof planSchema>;
export type Wave = Plan["waves"][number];

export const defaultStackName = "{wave}-{shard}of{shards}";

/** Without --waves: one wave, named after the command's stacks. */
export const singleWave: Wave = { name: "rollout", config: {} };

export interface RolloutOptions {
  command: RolloutCommand;
  /** The Pulumi program (its Pulumi.yaml). */
  dir: string;
  shards: number;
  /** Only this shard of each wave (a CI job of the matrix); all of them when absent. */
  shard?: Shard;
  /** Only this wave of the plan. */
  wave?: string;
  /** The plan file, when there is one (named in the summary). */
  planFile?: string;
  plan: Plan;
  configFile?: string;
  summaryFile?: string;
  parallel?: number;
  /** refresh only: `pulumi refresh --preview-only`, the drift shown and the state left as it is. */
  previewOnly?: boolean;
  /**
   * The fast mode: PULUMI_SKIP_CHECKPOINTS=true for every stack, so the engine saves a stack's state
   * once, at the end of its run, instead of before and after every operation (README "Large rollouts").
   */
  skipCheckpoints?: boolean;
}

export const usage = `Usage:
  partnercenter-rollout <preview|up|refresh|destroy> --dir <program> --shards N [options]
  partnercenter-rollout matrix --shards N

Runs the program's stacks, one per shard of each wave, side by side through Pulumi's Automation API.

  --dir <program>        the Pulumi program (the folder holding Pulumi.yaml)
  --shards N             shards per wave, run side by side; each stack gets config <project>:shard "i/N"
                         and its share of partnercenter:consentRateLimit
  --waves <plan.json>    the waves in order (a canary group first, then the rest), each with its stack
                         config, and the failures a wave may have before the later waves are stopped
  --wave <name>          only this wave of the plan
  --shard i/N            only shard i of each wave (what each job of a CI matrix runs)
  --stack-name <pattern> stack names; {wave}, {shard} and {shards} are replaced (default ${defaultStackName})
  --config-file <yaml>   stack config every stack gets: \`config:\` with \`key: value\`, or \`key: {secret: value}\`
                         for a secret (partnercenter-emulator --config-yaml writes one)
  --summary <out.json>   write the machine-readable summary here
  --parallel N           resource operations in flight per stack (pulumi --parallel)
  --preview-only         refresh only: show the drift, change no state (pulumi refresh --preview-only)
  --skip-checkpoints     the fast mode: PULUMI_SKIP_CHECKPOINTS=true, each stack's state saved once, at the
                         end of its run; safe for this package's resources only (README "Large rollouts")
  -h, --help             this text

  matrix --shards N      print {"include":[{"shard":"1/N"},…]} for a CI job matrix`;

/** A mistake in the command line or the plan, found before anything ran. */
export class UsageError extends Error {
  name = "UsageError";
}

function positiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number of at least 1, got "${value}"`);
  return n;
}

export function readPlan(file: string): Plan {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`--waves ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--waves ${file}: not JSON (${(err as Error).message})`);
  }
  const parsed = planSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`--waves ${file}: ${issue.path.length ? issue.path.join(".") : "the plan"}: ${issue.message}`);
  }
  const names = parsed.data.waves.map((w) => w.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new UsageError(`--waves ${file}: waves: the wave name "${twice}" is used twice`);
  return parsed.data;
}

/** The stack of one shard of one wave. */
export function stackName(pattern: string, wave: string, shard: Shard): string {
  return pattern
    .replace(/\{wave\}/g, wave)
    .replace(/\{shards\}/g, String(shard.count))
    .replace(/\{shard\}/g, String(shard.index));
}

/** Every stack name must be valid and its own: a pattern that leaves out {shard} would give two shards one stack. */
function checkStackNames(pattern: string, plan: Plan, shards: number, flag: string): void {
  const seen = new Map<string, string>();
  for (const wave of plan.waves) {
    for (let i = 1; i <= shards; i++) {
      const name = stackName(pattern, wave.name, { index: i, count: shards });
      if (!stackNamePart.test(name)) throw new UsageError(`${flag} "${pattern}" gives the stack name "${name}": letters, digits, _ . - only`);
      const other = seen.get(name);
      if (other)
        throw new UsageError(`${flag} "${pattern}" gives "${name}" to both ${other} and wave ${wave.name} shard ${i}/${shards}: use {wave} and {shard}`);
      seen.set(name, `wave ${wave.name} shard ${i}/${shards}`);
    }
  }
}

export type Parsed = { kind: "help" } | { kind: "matrix"; shards: number } | ({ kind: "run" } & RolloutOptions);

/** The command line, checked: a mistake throws a UsageError naming the flag. */
export function parseCommandLine(argv: string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        dir: { type: "string" },
        shards: { type: "string" },
        shard: { type: "string" },
        waves: { type: "string" },
        wave: { type: "string" },
        "stack-name": { type: "string" },
        "config-file": { type: "string" },
        summary: { type: "string" },
        parallel: { type: "string" },
        "preview-only": { type: "boolean" },
        "skip-checkpoints": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? "name a command: preview, up, refresh, destroy or matrix" : `one command only, got ${positionals.join(" ")}`,
    );
  }
  const [command] = positionals;
  const shards = positiveInteger("--shards", values.shards);
  if (command === "matrix") {
    const extra = Object.keys(values).filter((k) => k !== "shards");
    if (extra.length) throw new UsageError(`matrix takes --shards only, not --${extra[0]}`);
    if (shards === undefined) throw new UsageError("matrix needs --shards N");
    return { kind: "matrix", shards };
  }
  if (!(commands as readonly string[]).includes(command)) throw new UsageError(`unknown command "${command}": use preview, up, refresh, destroy or matrix`);
  if (values["preview-only"] && command !== "refresh")
    throw new UsageError(`--preview-only is for refresh only, not ${command} (preview is the preview of an up)`);
  if (values.dir === undefined) throw new UsageError("--dir <program> is required: the folder holding the program's Pulumi.yaml");
  const dir = path.resolve(values.dir);
  if (!["Pulumi.yaml", "Pulumi.yml"].some((f) => fs.existsSync(path.join(dir, f)))) throw new UsageError(`--dir ${values.dir}: no Pulumi.yaml there`);
  let shard: Shard | undefined;
  if (values.shard !== undefined) {
    try {
      shard = parseShard(values.shard);
    } catch (err) {
      throw new UsageError(`--shard: ${(err as Error).message}`);
    }
    if (shards !== undefined && shards !== shard.count)
      throw new UsageError(`--shard ${values.shard} is of ${shard.count} shards, but --shards says ${shards}`);
  }
  const count = shards ?? shard?.count;
  if (count === undefined) throw new UsageError("--shards N is required (1 for a single stack per wave)");
  for (const [flag, file] of [
    ["--config-file", values["config-file"]],
    ["--waves", values.waves],
  ] as const) {
    if (file !== undefined && !fs.existsSync(file)) throw new UsageError(`${flag} ${file}: no such file`);
  }
  const plan = values.waves !== undefined ? readPlan(values.waves) : { waves: [singleWave] };
  const pattern = values["stack-name"] ?? plan.stackName ?? defaultStackName;
  checkStackNames(
    pattern,
    plan,
    count,
    values["stack-name"] !== undefined ? "--stack-name" : plan.stackName !== undefined ? "the plan's stackName" : "--stack-name",
  );
  if (values.wave !== undefined && !plan.waves.some((w) => w.name === values.wave)) {
    throw new UsageError(`--wave ${values.wave}: the plan has no such wave (it has ${plan.waves.map((w) => w.name).join(", ")})`);
  }
  return {
    kind: "run",
    command: command as RolloutCommand,
    dir,
    shards: count,
    shard,
    wave: values.wave,
    planFile: values.waves !== undefined ? path.resolve(values.waves) : undefined,
    plan: { ...plan, stackName: pattern },
    configFile: values["config-file"] !== undefined ? path.resolve(values["config-file"]) : undefined,
    summaryFile: values.summary !== undefined ? path.resolve(values.summary) : undefined,
    parallel: positiveInteger("--parallel", values.parallel),
    previewOnly: values["preview-only"] === true || undefined,
    skipCheckpoints: values["skip-checkpoints"] === true || undefined,
  };
}

/** The shards as a CI job matrix (GitHub Actions' `strategy.matrix`, fromJSON). */
export function matrix(shards: number): { include: { shard: string }[] } {
  return { include: Array.from({ length: shards }, (_, i) => ({ shard: `${i + 1}/${shards}` })) };
}
