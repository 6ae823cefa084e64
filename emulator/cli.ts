#!/usr/bin/env node
import { parseArgs } from "util";
import { startEmulator } from "./index";
import type { EmulatorInfo } from "./options";
import { loadSeed } from "./seed/load";
import { seedIds, seedIdsTable } from "./seedIds";

const usage = `Usage: partnercenter-emulator [--port N] [--state-dir dir] [--seed file] [--data file] [--pulumi-config | --config-yaml | --env | --json]
       partnercenter-emulator ids [--seed file] [--json]

  --port N          listen on this port (default: any free port)
  --state-dir dir   keep the CA, the client certificate and the signing keys here (default: a new temp dir);
                    with --port, the URLs and the CA stay the same across restarts, so the config does too
  --seed file       the seed (default: the bundled emulator/seeds/default.json)
  --data file       keep the emulator's state across restarts
  --pulumi-config   print \`pulumi config set\` lines for the current stack (pipe them to sh)
  --config-yaml     print the same as a YAML \`config:\` map, secrets as {secret: …} (partnercenter-rollout --config-file)
  --env             print \`export PARTNERCENTER_...=...\` lines (eval them, or save them for a CI)
  --json            print everything as one JSON object, for scripts

  ids               print the seed's customers (id, name, domains) and the partner's security groups (id, name),
                    as a table or, with --json, as one JSON object; starts no emulator`;

type Output = "text" | "json" | "pulumi-config" | "config-yaml" | "env";

interface CliOptions {
  command: "serve" | "ids";
  port?: number;
  seed?: string;
  dataFile?: string;
  stateDir?: string;
  output: Output;
}

function options(argv: string[]): CliOptions {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: "string" },
        "state-dir": { type: "string" },
        seed: { type: "string" },
        data: { type: "string" },
        "pulumi-config": { type: "boolean" },
        "config-yaml": { type: "boolean" },
        env: { type: "boolean" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${usage}`, { cause: e });
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const [command = "serve", ...extra] = positionals;
  if (command !== "serve" && command !== "ids") throw new Error(`unknown command ${command}: the only command is ids\n${usage}`);
  if (extra.length > 0) throw new Error(`unexpected argument ${extra[0]}\n${usage}`);
  if (command === "ids") {
    const serveOnly = (["port", "state-dir", "data", "pulumi-config", "config-yaml", "env"] as const).filter((o) => values[o] !== undefined);
    if (serveOnly.length > 0) throw new Error(`ids takes only --seed and --json, not ${serveOnly.map((o) => `--${o}`).join(", ")}\n${usage}`);
  }
  const outputs = (["json", "pulumi-config", "config-yaml", "env"] as const).filter((o) => values[o]);
  if (outputs.length > 1) throw new Error(`${outputs.map((o) => `--${o}`).join(" and ")} cannot be combined\n${usage}`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new Error(`--port must be 0..65535\n${usage}`);
  return { command, port, seed: values.seed, dataFile: values.data, stateDir: values["state-dir"], output: outputs[0] ?? "text" };
}

/** The stack configuration that points a program at this emulator: key, environment variable, value, secret. */
function connectionSettings(info: EmulatorInfo): { key: string; env: string; value: string; secret: boolean }[] {
  const c = info.credentials;
  const e = info.endpoints;
  return [
    { key: "clientId", env: "PARTNERCENTER_CLIENT_ID", value: c.clientId, secret: false },
    { key: "tenantId", env: "PARTNERCENTER_TENANT_ID", value: c.partnerTenantId, secret: false },
    { key: "clientSecret", env: "PARTNERCENTER_CLIENT_SECRET", value: c.clientSecret, secret: true },
    { key: "refreshToken", env: "PARTNERCENTER_REFRESH_TOKEN", value: c.refreshToken, secret: true },
    { key: "authorityHost", env: "PARTNERCENTER_AUTHORITY_HOST", value: e.authorityHost, secret: false },
    { key: "partnerCenterUrl", env: "PARTNERCENTER_API_URL", value: e.partnerCenter, secret: false },
    { key: "delegatedAdminUrl", env: "PARTNERCENTER_DELEGATED_ADMIN_URL", value: e.delegatedAdmin, secret: false },
    { key: "graphUrl", env: "PARTNERCENTER_GRAPH_URL", value: e.graph, secret: false },
    { key: "caFile", env: "PARTNERCENTER_CA_FILE", value: info.caFile, secret: false },
  ];
}

/** Quotes a value for a POSIX shell. */
const sh = (v: string) => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);

function describe(info: EmulatorInfo): string {
  const c = info.credentials;
  return [
    `Partner Center emulator listening on ${info.url}`,
    "",
    "Stack config (partnercenter:<key>, or the environment variable):",
    ...connectionSettings(info).map((s) => `  ${s.key.padEnd(18)} ${s.env.padEnd(34)} ${s.secret ? "(secret) " : ""}${s.value}`),
    "  --pulumi-config prints these as `pulumi config set` lines, --env as exports.",
    "",
    `Admin API: ${info.endpoints.admin}   OIDC issuer: ${info.endpoints.oidcIssuer}`,
    "",
    "Other credentials (from the seed):",
    `  certificate (PEM)    ${c.certificatePemFile}`,
    `  thumbprint SHA-1     ${c.certificateThumbprint}`,
    `  thumbprint SHA-256   ${c.certificateThumbprintSha256}`,
    `  federated subject    ${c.federatedSubject}`,
    `  CPV application id   ${c.controlPanelApplicationId}`,
    "",
    "Press Ctrl+C to stop.",
  ].join("\n");
}

async function main(): Promise<void> {
  const args = options(process.argv.slice(2));
  if (args.command === "ids") {
    const ids = seedIds(loadSeed(args.seed));
    console.log(args.output === "json" ? JSON.stringify(ids, null, 2) : seedIdsTable(ids));
    return;
  }
  const handle = await startEmulator({ port: args.port, seed: args.seed, dataFile: args.dataFile, stateDir: args.stateDir });
  const { stop, admin: _admin, ...info } = handle;
  // Handlers go in before the output: a supervisor may signal as soon as it reads the line.
  const shutdown = () => {
    stop().then(
      () => process.exit(0),
      (e) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  const settings = connectionSettings(info);
  const output = {
    text: () => describe(info),
    json: () => JSON.stringify(info),
    "pulumi-config": () => settings.map((s) => `pulumi config set ${s.secret ? "--secret " : ""}partnercenter:${s.key} -- ${sh(s.value)}`).join("\n"),
    // JSON strings are YAML scalars: every value stays exactly what it is.
    "config-yaml": () =>
      ["config:", ...settings.map((s) => `  partnercenter:${s.key}: ${s.secret ? `{ secret: ${JSON.stringify(s.value)} }` : JSON.stringify(s.value)}`)].join(
        "\n",
      ),
    env: () => settings.map((s) => `export ${s.env}=${sh(s.value)}`).join("\n"),
  }[args.output];
  console.log(output());
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
