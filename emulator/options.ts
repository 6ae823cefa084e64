import type { FaultsConfig } from "./policies/faults";
import type { LatencyConfig } from "./policies/latency";
import type { LimitsConfig } from "./policies/throttle";
import type { SeedInput } from "./seed/schema";
import type { AdminClient } from "./admin/client";

export interface EmulatorOptions {
  /** Default 0: any free port. */
  port?: number;
  host?: "127.0.0.1";
  /** A seed object or the path of a seed JSON file. Default: emulator/seeds/default.json. */
  seed?: SeedInput | string;
  /** Persist state to this file (atomic temp file + rename) and load it on the next start. */
  dataFile?: string;
  /** Where the CA, the client certificate and the signing keys are written. Default: a new temp dir. */
  stateDir?: string;
  /** Fixed latency in ms, or a latency profile. */
  latencyMs?: number | LatencyConfig;
  faults?: FaultsConfig;
  /** Per route group; merged over the defaults (consents 50/s per app, users 10/s per partner+customer). Null turns a group off. */
  limits?: LimitsConfig;
}

export interface EmulatorEndpoints {
  authorityHost: string;
  partnerCenter: string;
  delegatedAdmin: string;
  graph: string;
  admin: string;
  oidcIssuer: string;
}

export interface EmulatorCredentials {
  partnerTenantId: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** PEM holding the client certificate and its private key. */
  certificatePemFile: string;
  /** SHA-1, hex, uppercase (msal-node `clientCertificate.thumbprint`). */
  certificateThumbprint: string;
  /** SHA-256, hex, uppercase (msal-node `clientCertificate.thumbprintSha256`). */
  certificateThumbprintSha256: string;
  federatedSubject: string;
  controlPanelApplicationId: string;
}

/** What `--json` prints: the handle without its functions. */
export interface EmulatorInfo {
  url: string;
  caFile: string;
  caPem: string;
  endpoints: EmulatorEndpoints;
  credentials: EmulatorCredentials;
}

export interface EmulatorHandle extends EmulatorInfo {
  admin: AdminClient;
  stop(): Promise<void>;
}
