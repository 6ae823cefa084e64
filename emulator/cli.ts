#!/usr/bin/env node
import { startEmulator } from "./index";
import type { EmulatorInfo } from "./options";

const usage = "Usage: partnercenter-emulator [--port N] [--seed file] [--data file] [--state-dir dir] [--json]";

function parseArgs(argv: string[]): { port?: number; seed?: string; dataFile?: string; stateDir?: string; json: boolean } {
  const out: { port?: number; seed?: string; dataFile?: string; stateDir?: string; json: boolean } = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value\n${usage}`);
      return v;
    };
    if (arg === "--port") {
      out.port = Number(value());
      if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error(`--port must be 0..65535\n${usage}`);
    } else if (arg === "--seed") out.seed = value();
    else if (arg === "--data") out.dataFile = value();
    else if (arg === "--state-dir") out.stateDir = value();
    else if (arg === "--json") out.json = true;
    else if (arg === "--help" || arg === "-h") {
      console.log(usage);
      process.exit(0);
    } else throw new Error(`Unknown argument ${arg}\n${usage}`);
  }
  return out;
}

function describe(info: EmulatorInfo): string {
  const c = info.credentials;
  return [
    `Partner Center emulator listening on ${info.url}`,
    "",
    "Endpoints:",
    ...Object.entries(info.endpoints).map(([k, v]) => `  ${k.padEnd(15)} ${v}`),
    "",
    `Trust this CA: ${info.caFile}   (e.g. NODE_EXTRA_CA_CERTS=${info.caFile})`,
    "",
    "Demo credentials (from the seed):",
    `  partner tenant       ${c.partnerTenantId}`,
    `  client id            ${c.clientId}`,
    `  client secret        ${c.clientSecret}`,
    `  refresh token        ${c.refreshToken}`,
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
  const args = parseArgs(process.argv.slice(2));
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
  console.log(args.json ? JSON.stringify(info) : describe(info));
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
