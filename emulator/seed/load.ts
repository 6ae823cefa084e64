import { readFileSync } from "fs";
import { ZodError } from "zod";
import { Seed, seedSchema } from "./schema";
import defaultSeed from "../seeds/default.json";
import { withAgentsGroup } from "./gdap";

/** Turns any seed source into a validated Seed, or throws one error that lists every bad field by path. */
export function parseSeed(raw: unknown, origin = "seed"): Seed {
  try {
    const seed = withAgentsGroup(seedSchema.parse(raw));
    checkReferences(seed, origin);
    return seed;
  } catch (e) {
    if (e instanceof ZodError) {
      const lines = e.issues.map((i) => `  - ${i.path.join(".") || "(root)"}: ${i.message}`);
      throw new Error(`Invalid ${origin}:\n${lines.join("\n")}`, { cause: e });
    }
    throw e;
  }
}

export function loadSeed(source?: unknown): Seed {
  if (source === undefined) return parseSeed(readDefaultSeed(), "default seed");
  if (typeof source === "string") {
    let text: string;
    try {
      text = readFileSync(source, "utf8");
    } catch (e) {
      throw new Error(`Cannot read seed file ${source}: ${(e as Error).message}`, { cause: e });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Error(`Seed file ${source} is not valid JSON: ${(e as Error).message}`, { cause: e });
    }
    return parseSeed(json, `seed file ${source}`);
  }
  return parseSeed(source);
}

// Imported (not read from disk) so tsc copies the JSON into dist/ with the code.
export function readDefaultSeed(): unknown {
  return JSON.parse(JSON.stringify(defaultSeed));
}

function checkReferences(seed: Seed, origin: string): void {
  const ids = new Set<string>();
  for (const c of seed.customers) {
    if (ids.has(c.id)) throw new Error(`Invalid ${origin}: customer ${c.id} appears twice`);
    ids.add(c.id);
    if (c.id === seed.partner.tenantId) throw new Error(`Invalid ${origin}: customer ${c.id} is the partner tenant`);
  }
  const tenants = new Set([seed.partner.tenantId]);
  const clientIds = new Set(seed.applications.map((a) => a.clientId));
  const served = new Set<string>();
  for (const [i, p] of seed.partners.entries()) {
    const at = `${origin}: partners.${i}`;
    if (tenants.has(p.tenantId) || ids.has(p.tenantId)) throw new Error(`Invalid ${at}.tenantId: ${p.tenantId} is already another partner or a customer`);
    tenants.add(p.tenantId);
    for (const a of p.applications) {
      if (clientIds.has(a.clientId)) throw new Error(`Invalid ${at}.applications: the app ${a.clientId} is already registered in another partner tenant`);
      clientIds.add(a.clientId);
    }
    for (const c of p.customers) {
      if (!ids.has(c)) throw new Error(`Invalid ${at}.customers: ${c} is not a customer of the seed`);
      if (served.has(c)) throw new Error(`Invalid ${at}.customers: ${c} is already served by another partner`);
      served.add(c);
    }
  }
}
