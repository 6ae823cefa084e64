import { createHash, createPublicKey, X509Certificate } from "crypto";
import { mkdtempSync, rmSync } from "fs";
import { createServer } from "https";
import type { AddressInfo } from "net";
import { tmpdir } from "os";
import { join } from "path";
import { AdminClient } from "./admin/client";
import type { AdminDefaults } from "./admin/handlers";
import { SigningKey, TokenIssuer } from "./auth/issuer";
import { OidcIssuer } from "./auth/oidc";
import { type FilesWritten, type KeyMaterial, loadOrCreateKeyMaterial, thumbprints } from "./certs";
import { Clock } from "./clock";
import { createPipeline } from "./http/pipeline";
import { newGuid } from "./ids";
import { Metrics } from "./observability/metrics";
import { RequestLog } from "./observability/requestLog";
import type { EmulatorHandle, EmulatorInfo, EmulatorOptions } from "./options";
import type { z } from "zod";
import { describeZod } from "./partnercenter/badRequest";
import { Faults, faultsConfigSchema } from "./policies/faults";
import { Latency, latencyConfigSchema } from "./policies/latency";
import { defaultLimits, limitsConfigSchema, Throttle } from "./policies/throttle";
import { buildRouter } from "./routes";
import { loadSeed } from "./seed/load";
import type { Seed } from "./seed/schema";
import type { Services } from "./services";
import { FileStore } from "./store/file";
import { MemoryStore, stateFromSeed } from "./store/memory";

export type { EmulatorHandle, EmulatorInfo, EmulatorOptions, EmulatorEndpoints, EmulatorCredentials } from "./options";
export type { Seed, SeedInput } from "./seed/schema";
export type { FaultsConfig, FaultRule, GroupFaults } from "./policies/faults";
export type { LimitsConfig, LimitConfig } from "./policies/throttle";
export type { LatencyConfig } from "./policies/latency";
export { AdminClient } from "./admin/client";
export { loadSeed, parseSeed } from "./seed/load";

/** Starts the emulator: one HTTPS server on 127.0.0.1 serving Entra ID, Partner Center, delegated admin, Graph and the admin API. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const seed = loadSeed(options.seed);
  const latency = typeof options.latencyMs === "number" ? { fixedMs: options.latencyMs } : (options.latencyMs ?? {});
  // The admin API's rules, so a configuration is as valid at start as it would be mid-run.
  const defaults: AdminDefaults = {
    faults: checked(faultsConfigSchema, options.faults ?? {}, "faults"),
    limits: { ...defaultLimits(), ...checked(limitsConfigSchema, options.limits ?? {}, "limits") },
    latency: checked(latencyConfigSchema, latency, "latencyMs"),
  };
  if (options.stateDir) return start(options, seed, defaults, options.stateDir);
  // A temp dir of our own holds the CA, the client certificate's key and the signing keys: it goes
  // when the emulator stops, when startup fails, and when the process exits without a stop.
  const stateDir = mkdtempSync(join(tmpdir(), "partnercenter-emulator-"));
  const remove = () => rmSync(stateDir, { recursive: true, force: true });
  process.once("exit", remove);
  const forget = () => {
    process.off("exit", remove);
    remove();
  };
  try {
    const handle = await start(options, seed, defaults, stateDir);
    return { ...handle, stop: () => handle.stop().finally(forget) };
  } catch (e) {
    forget();
    throw e;
  }
}

function checked<S extends z.ZodTypeAny>(schema: S, value: unknown, option: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`Invalid emulator option ${option}: ${describeZod(parsed.error)}`);
  return parsed.data;
}

type Pipeline = ReturnType<typeof createPipeline>;

/**
 * The HTTPS server on `host:port` (0: any free port). It answers once `serve` has been given the
 * pipeline, which needs the URL the server got.
 */
async function listen(options: EmulatorOptions, keys: KeyMaterial) {
  let handler: Pipeline | undefined;
  const server = createServer({ key: keys.serverKeyPem, cert: keys.serverCertPem }, (req, res) => {
    // The pipeline answers every error itself; anything escaping it must not end the process.
    handler?.(req, res).catch((e: unknown) => {
      console.error("[partnercenter-emulator]", e);
      res.destroy();
    });
  });
  // Keep idle connections longer than clients do (undici: 4 s), as real front doors do: otherwise the
  // server may close a pooled socket just as a client reuses it, and the client sees ECONNRESET.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `https://${host}:${port}`, serve: (pipeline: Pipeline) => (handler = pipeline) };
}

function services(store: MemoryStore | FileStore, seed: Seed, defaults: AdminDefaults, keys: KeyMaterial, url: string): Services {
  const clock = new Clock(store.getClockOffset());
  const clientDer = new X509Certificate(keys.clientCertPem).raw;
  return {
    store,
    defaultSeed: seed,
    clock,
    issuer: new TokenIssuer(new SigningKey(keys.stsKeyPem), clock, url, () => store.seed.settings.tokenLifetimeSeconds),
    oidc: new OidcIssuer(new SigningKey(keys.oidcKeyPem), clock, `${url}/_emulator/oidc`),
    baseUrl: url,
    serverId: `emulator-${newGuid().slice(0, 8)}`,
    clientCertificate: {
      publicKey: createPublicKey(keys.clientCertPem),
      x5t: createHash("sha1").update(clientDer).digest("base64url"),
      x5tS256: createHash("sha256").update(clientDer).digest("base64url"),
    },
    throttle: new Throttle(defaults.limits),
    faults: new Faults(defaults.faults),
    latency: new Latency(defaults.latency),
    metrics: new Metrics(),
    requestLog: new RequestLog(seed.settings.requestLogSize),
  };
}

/** The URLs and the seed's credentials a client needs. */
function emulatorInfo(url: string, seed: Seed, keys: KeyMaterial, files: FilesWritten): EmulatorInfo {
  const app = seed.applications[0];
  const thumbs = thumbprints(keys.clientCertPem);
  return {
    url,
    caFile: files.caFile,
    caPem: keys.caCertPem,
    endpoints: {
      authorityHost: url,
      partnerCenter: `${url}/partnercenter`,
      delegatedAdmin: `${url}/delegatedadmin/CustomerServiceAdminApi/Web/v1`,
      graph: `${url}/graph/v1.0`,
      admin: `${url}/_emulator`,
      oidcIssuer: `${url}/_emulator/oidc`,
    },
    credentials: {
      partnerTenantId: seed.partner.tenantId,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      refreshToken: seed.partnerUsers[0].refreshToken,
      certificatePemFile: files.certificatePemFile,
      certificateThumbprint: thumbs.sha1,
      certificateThumbprintSha256: thumbs.sha256,
      federatedSubject: app.federatedCredentials[0]?.subject ?? "",
      controlPanelApplicationId: seed.controlPanelApplicationId,
    },
  };
}

async function start(options: EmulatorOptions, seed: Seed, defaults: AdminDefaults, stateDir: string): Promise<EmulatorHandle> {
  const { keys, files } = await loadOrCreateKeyMaterial(stateDir);
  const store = options.dataFile ? new FileStore(options.dataFile, seed) : new MemoryStore(stateFromSeed(seed, Date.now()));
  const { server, url, serve } = await listen(options, keys);
  // The admin clock route keeps the store's copy of the offset in step, so it persists with the state.
  const svc = services(store, seed, defaults, keys, url);
  serve(createPipeline(buildRouter(defaults), svc));
  server.on("secureConnection", () => svc.metrics.tlsHandshakes++);
  const info = emulatorInfo(url, seed, keys, files);
  const admin = new AdminClient(info.endpoints.admin, keys.caCertPem);
  let stopped: Promise<void> | undefined;
  return {
    ...info,
    admin,
    stop: () =>
      (stopped ??= (async () => {
        await admin.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        store.commit();
      })()),
  };
}
