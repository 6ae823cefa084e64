/**
 * The stack config every stack of a rollout shares (`--config-file`): YAML with a `config:` map of
 * `key: value`, or `key: {secret: value}` for a secret. Each stack gets it with `pulumi config set`
 * (secrets with --secret), so in the stacks' files and state a secret is ciphertext. The provider's
 * secret keys (partnercenter:clientSecret, refreshToken, federatedToken) are set as secrets even when
 * the file gives them plainly.
 */
import * as fs from "fs";
import { z } from "zod";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { configNamespace, secretConfigKeys } from "../provider/config";
import { configMapSchema, UsageError, type PlanConfigValue } from "./plan";

// js-yaml 4 (the YAML parser @pulumi/pulumi uses too), typed here for the one call made.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require("js-yaml") as { load(text: string): unknown };

const fileSchema = z.object({ config: configMapSchema }).strict();

const secretKeys = new Set(secretConfigKeys.map((k) => `${configNamespace}:${k}`));

/** A plan's or a file's config as the Automation API sets it. */
export function toConfigMap(config: Record<string, PlanConfigValue>): ConfigMap {
  return Object.fromEntries(
    Object.entries(config).map(([key, v]) =>
      typeof v === "object" ? [key, { value: v.secret, secret: true }] : [key, { value: String(v), secret: secretKeys.has(key) }],
    ),
  );
}

export function readConfigFile(file: string): ConfigMap {
  let doc: unknown;
  try {
    doc = yaml.load(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new UsageError(`--config-file ${file}: ${(err as Error).message.split("\n")[0]}`);
  }
  const parsed = fileSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `--config-file ${file}: ${issue.path.length ? issue.path.join(".") : "the file"}: ${issue.message} (expected \`config:\` with \`key: value\` or \`key: {secret: value}\`)`,
    );
  }
  return toConfigMap(parsed.data.config);
}
