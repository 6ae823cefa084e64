import type { KeyObject } from "crypto";
import type { Clock } from "./clock";
import type { OidcIssuer } from "./auth/oidc";
import type { TokenIssuer } from "./auth/issuer";
import type { Metrics } from "./observability/metrics";
import type { RequestLog } from "./observability/requestLog";
import type { Faults } from "./policies/faults";
import type { Latency } from "./policies/latency";
import type { Throttle } from "./policies/throttle";
import type { IStore } from "./store/store";
import type { Seed } from "./seed/schema";

/** What handlers and policies share; built once in index.ts. */
export interface Services {
  store: IStore;
  /** What `POST /_emulator/reset` goes back to. */
  defaultSeed: Seed;
  clock: Clock;
  issuer: TokenIssuer;
  oidc: OidcIssuer;
  baseUrl: string;
  serverId: string;
  clientCertificate: { publicKey: KeyObject; x5t: string; x5tS256: string };
  throttle: Throttle;
  faults: Faults;
  latency: Latency;
  metrics: Metrics;
  requestLog: RequestLog;
}
