/**
 * The provider's configuration: stack config under `partnercenter:` with environment-variable fallbacks
 * that a CI sets. Resources read it inside the provider process (dynamic provider `configure`), data
 * sources in the program; neither puts a credential into the serialized provider or into state.
 */
import * as fs from "fs";
import { z } from "zod";
import { guidPattern } from "./clients/path";
import { PartnerCenterError } from "./errors";
import { registerSecret } from "./redact";

export const configNamespace = "partnercenter";

/** Every key, its environment fallbacks, and what it is for (README's table is this list). */
export const configKeys = {
  clientId: { env: ["PARTNERCENTER_CLIENT_ID", "AZURE_CLIENT_ID"], doc: "Application (client) id of the partner's app registration." },
  tenantId: { env: ["PARTNERCENTER_TENANT_ID", "AZURE_TENANT_ID"], doc: "The partner's tenant id." },
  clientSecret: { env: ["PARTNERCENTER_CLIENT_SECRET", "AZURE_CLIENT_SECRET"], doc: "Client secret (set as a secret)." },
  certificatePath: { env: ["PARTNERCENTER_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PATH"], doc: "PEM file with the app's certificate and private key." },
  certificateThumbprint: { env: ["PARTNERCENTER_CERTIFICATE_THUMBPRINT"], doc: "SHA-1 (40 hex) or SHA-256 (64 hex) thumbprint of that certificate." },
  federatedTokenFile: {
    env: ["PARTNERCENTER_FEDERATED_TOKEN_FILE", "AZURE_FEDERATED_TOKEN_FILE"],
    doc: "File holding a CI's OIDC token (re-read on every token request).",
  },
  federatedToken: { env: ["PARTNERCENTER_FEDERATED_TOKEN"], doc: "The OIDC token itself, for CIs that hand it over in a variable." },
  refreshToken: { env: ["PARTNERCENTER_REFRESH_TOKEN"], doc: "A partner user's refresh token for App+User calls (set as a secret)." },
  authorityHost: { env: ["PARTNERCENTER_AUTHORITY_HOST", "AZURE_AUTHORITY_HOST"], doc: "Entra ID host. Default https://login.microsoftonline.com." },
  partnerCenterUrl: { env: ["PARTNERCENTER_API_URL"], doc: "Partner Center base URL. Default https://api.partnercenter.microsoft.com." },
  delegatedAdminUrl: { env: ["PARTNERCENTER_DELEGATED_ADMIN_URL"], doc: "Delegated-admin customers API base URL." },
  graphUrl: { env: ["PARTNERCENTER_GRAPH_URL"], doc: "Microsoft Graph base URL. Default https://graph.microsoft.com/v1.0." },
  caFile: { env: ["PARTNERCENTER_CA_FILE"], doc: "Extra CA (PEM) to trust, e.g. the emulator's. TLS is never turned off." },
  consentRateLimit: { env: ["PARTNERCENTER_CONSENT_RATE_LIMIT"], doc: "Consent requests per second per applicationId. Default 48 (service limit 50)." },
  userRateLimit: { env: ["PARTNERCENTER_USER_RATE_LIMIT"], doc: "Customer-user requests per second per customer. Default 8." },
  requestRateLimit: { env: ["PARTNERCENTER_REQUEST_RATE_LIMIT"], doc: "Other requests per second per API. Default 20." },
  requestTimeoutMs: { env: ["PARTNERCENTER_REQUEST_TIMEOUT_MS"], doc: "Timeout of one HTTP attempt. Default 60000." },
  connectionsPerOrigin: {
    env: ["PARTNERCENTER_CONNECTIONS_PER_ORIGIN"],
    doc: "Most connections kept open to one host (each a TLS set-up; with HTTP/1.1 also the most requests in flight to it). Default 512.",
  },
  maxRetries: { env: ["PARTNERCENTER_MAX_RETRIES"], doc: "Retries of one call on 408/429/5xx/lost connections. Default 6." },
  adoptMatching: {
    env: ["PARTNERCENTER_ADOPT_MATCHING"],
    doc: 'true for one run: take over existing users and consents that exactly match the program, whoever made them (README "Who owns what"). Default false.',
  },
  recoverFrom: {
    env: ["PARTNERCENTER_RECOVER_FROM"],
    doc: 'For the one `pulumi up` of a recovery: the file `pulumi stack export --file` wrote after an interrupted run; takes back exactly the creates that run left unfinished (README "Recovering after an interrupted run").',
  },
  forgetCustomers: {
    env: ["PARTNERCENTER_FORGET_CUSTOMERS"],
    doc: 'Customer tenant ids (comma-separated) the partner can no longer reach (their GDAP relationship ended): a delete there that Partner Center refuses (403) drops the object from the state and leaves it in the customer\'s tenant (README "Offboarding a customer"). Default none.',
  },
} as const;
export type ConfigKey = keyof typeof configKeys;
export const secretConfigKeys: ConfigKey[] = ["clientSecret", "refreshToken", "federatedToken"];

const positiveNumber = (key: string) => z.coerce.number({ error: `${key} must be a number` }).positive(`${key} must be greater than 0`);

const configSchema = z.object({
  clientId: z.string().regex(guidPattern, "clientId must be a GUID (the app registration's Application (client) ID)"),
  tenantId: z.string().regex(guidPattern, "tenantId must be a GUID (the partner's Directory (tenant) ID)"),
  clientSecret: z.string().min(1).optional(),
  certificatePath: z.string().min(1).optional(),
  certificateThumbprint: z
    .string()
    .regex(/^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/, "certificateThumbprint must be 40 (SHA-1) or 64 (SHA-256) hex digits")
    .optional(),
  federatedTokenFile: z.string().min(1).optional(),
  federatedToken: z.string().min(1).optional(),
  refreshToken: z.string().min(1).optional(),
  authorityHost: z.string().url().default("https://login.microsoftonline.com"),
  partnerCenterUrl: z.string().url().default("https://api.partnercenter.microsoft.com"),
  delegatedAdminUrl: z.string().url().default("https://traf-pcsvcadmin-prod.trafficmanager.net/CustomerServiceAdminApi/Web/v1"),
  graphUrl: z.string().url().default("https://graph.microsoft.com/v1.0"),
  caFile: z.string().min(1).optional(),
  consentRateLimit: positiveNumber("consentRateLimit").default(48),
  userRateLimit: positiveNumber("userRateLimit").default(8),
  requestRateLimit: positiveNumber("requestRateLimit").default(20),
  requestTimeoutMs: positiveNumber("requestTimeoutMs").default(60_000),
  connectionsPerOrigin: z.coerce
    .number({ error: "connectionsPerOrigin must be a number" })
    .int("connectionsPerOrigin must be a whole number")
    .min(1, "connectionsPerOrigin must be at least 1")
    .max(4096, "connectionsPerOrigin must be at most 4096")
    .default(512),
  maxRetries: z.coerce.number().int().min(0).max(20).default(6),
  adoptMatching: z
    .enum(["true", "false"], { error: "adoptMatching must be true or false" })
    .default("false")
    .transform((v) => v === "true"),
  recoverFrom: z.string().min(1).optional(),
  // A string, in the schema too (the plugin's configuration is the same text); customerIdList splits it.
  forgetCustomers: z
    .string()
    .refine((s) => customerIdList(s).every((id) => guidPattern.test(id)), "forgetCustomers must be customer tenant ids (GUIDs), separated by commas")
    .optional(),
});
export type ProviderConfig = z.infer<typeof configSchema>;

/** A comma-separated list of customer tenant ids, in lower case. */
export function customerIdList(s: string | undefined): string[] {
  return (s ?? "")
    .split(",")
    .map((id) => id.trim().toLowerCase())
    .filter(Boolean);
}

/** Which kind of app credential a config holds, if any. */
export type AppCredentialKind = "clientSecret" | "certificate" | "federatedToken";

export function appCredentialKinds(config: ProviderConfig): AppCredentialKind[] {
  const kinds: AppCredentialKind[] = [];
  if (config.clientSecret) kinds.push("clientSecret");
  if (config.certificatePath) kinds.push("certificate");
  if (config.federatedTokenFile || config.federatedToken) kinds.push("federatedToken");
  return kinds;
}

/**
 * Reads and checks the configuration. `get` reads a stack config key (without namespace); environment
 * variables fill what the stack does not set. All problems are reported at once, each with what to set.
 */
export function loadConfig(get: (key: ConfigKey) => string | undefined, env: NodeJS.ProcessEnv = process.env): ProviderConfig {
  const raw: Record<string, string> = {};
  for (const [key, meta] of Object.entries(configKeys) as [ConfigKey, (typeof configKeys)[ConfigKey]][]) {
    const value = get(key) ?? meta.env.map((name) => env[name]).find((v) => v !== undefined && v !== "");
    if (value !== undefined && value !== "") raw[key] = value;
  }
  const problems: string[] = [];
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0]) as ConfigKey;
      const meta = configKeys[key];
      problems.push(
        issue.code === "invalid_type" && raw[key] === undefined
          ? `set ${configNamespace}:${key} (or ${meta.env.join(" / ")}): ${meta.doc}`
          : `${configNamespace}:${key}: ${issue.message}`,
      );
    }
  }
  // Credential problems are reported together with the missing keys, so one preview says everything.
  const kinds: AppCredentialKind[] = [];
  if (raw.clientSecret) kinds.push("clientSecret");
  if (raw.certificatePath) kinds.push("certificate");
  if (raw.federatedTokenFile || raw.federatedToken) kinds.push("federatedToken");
  if (kinds.length === 0 && !raw.refreshToken) {
    problems.push(
      `set one credential: ${configNamespace}:clientSecret (secret), ${configNamespace}:certificatePath with ${configNamespace}:certificateThumbprint, or ${configNamespace}:federatedTokenFile; and ${configNamespace}:refreshToken (secret) for customer users and delegated-admin customers`,
    );
  }
  if (kinds.length > 1) {
    problems.push(`set only one app credential, found ${kinds.map((k) => `${configNamespace}:${k === "certificate" ? "certificatePath" : k}`).join(" and ")}`);
  }
  if (raw.refreshToken && kinds.length === 0) {
    problems.push(
      `${configNamespace}:refreshToken needs an app credential too (the app is a confidential client): set ${configNamespace}:clientSecret, a certificate or a federated token`,
    );
  }
  if (raw.certificatePath && !raw.certificateThumbprint) {
    problems.push(`set ${configNamespace}:certificateThumbprint (the thumbprint of the certificate in ${configNamespace}:certificatePath)`);
  }
  for (const key of ["certificatePath", "caFile", "federatedTokenFile"] as const) {
    if (raw[key] && !(key === "federatedTokenFile" && raw.federatedToken) && !fs.existsSync(raw[key])) {
      problems.push(`${configNamespace}:${key}: no file at ${raw[key]}`);
    }
  }
  if (parsed.success && problems.length === 0) {
    for (const key of secretConfigKeys) registerSecret(parsed.data[key] as string | undefined);
    return parsed.data;
  }
  throw new PartnerCenterError(
    { operation: "read the partnercenter provider configuration" },
    `The partnercenter provider configuration is incomplete or contradictory:\n  - ${problems.join("\n  - ")}\nSet these with \`pulumi config set ${configNamespace}:<key> <value>\` (add --secret for secrets) or the environment variables named. See README.md "Configuration".`,
  );
}
