/**
 * The one error type of the provider. Every failure a user can see (an HTTP answer, a token request,
 * a response that does not match its schema, bad configuration) becomes a PartnerCenterError whose
 * message is a sentence to act on: what failed, for which customer, the service's code and text, and
 * the request id to quote to Microsoft support. Secrets never enter it (see redact.ts).
 */
import { inspect } from "util";
import { ZodError } from "zod";
import { graphErrorBodySchema, partnerCenterErrorBodySchema, partnerCenterThrottleBodySchema } from "./clients/schemas";
import { redactText } from "./redact";

export type ServiceName = "Partner Center" | "the delegated-admin API" | "Microsoft Graph" | "Entra ID";

export interface PartnerCenterErrorDetails {
  /** What was being done, e.g. "create user alice@contoso.com". */
  operation: string;
  service?: ServiceName;
  customerId?: string;
  statusCode?: number;
  /** The service's own code: "60002", "Request_ResourceNotFound", "AADSTS7000215"... */
  serviceCode?: string;
  /** The service's own text. */
  serviceMessage?: string;
  requestId?: string;
  correlationId?: string;
  retryable?: boolean;
  /** Seconds the service asked us to wait (429/503). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class PartnerCenterError extends Error {
  override readonly name = "PartnerCenterError";
  readonly operation: string;
  readonly service?: ServiceName;
  readonly customerId?: string;
  readonly statusCode?: number;
  readonly serviceCode?: string;
  readonly serviceMessage?: string;
  readonly requestId?: string;
  readonly correlationId?: string;
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;

  constructor(details: PartnerCenterErrorDetails, message?: string) {
    super(redactText(message ?? PartnerCenterError.sentence(details)), { cause: details.cause });
    this.operation = details.operation;
    this.service = details.service;
    this.customerId = details.customerId;
    this.statusCode = details.statusCode;
    this.serviceCode = details.serviceCode;
    this.serviceMessage = details.serviceMessage === undefined ? undefined : redactText(details.serviceMessage);
    this.requestId = details.requestId;
    this.correlationId = details.correlationId;
    this.retryable = details.retryable ?? false;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }

  /**
   * What `util.inspect` shows (console.log, and Pulumi's Node.js SDK for an error that escapes a
   * program, which it inspects even when it prints only the message: a tracing event,
   * cmd/run/run.js `uncaughtHandler`). The default view formats the stack, through the program's
   * source-map support, and every field: measured in a failing `pulumi preview` on Node.js 20 with
   * SDK 3.248, 24.5 s against 2.6 s with this view, most of it garbage collection (the same call as
   * pulumi/pulumi#21326). The sentence is what a user acts on; the fields and `stack` stay on the object.
   */
  [inspect.custom](): string {
    return `${this.name}: ${this.message}`;
  }

  private static sentence(d: PartnerCenterErrorDetails): string {
    let s = `Could not ${d.operation}${d.customerId ? ` for customer ${d.customerId}` : ""}`;
    const code = d.serviceCode ? `(code ${d.serviceCode})` : "";
    // MSAL does not always pass on the token endpoint's status; Entra's AADSTS code is what to act on.
    const answered = d.service && d.statusCode !== undefined ? `${d.statusCode}${code && ` ${code}`}` : d.service === "Entra ID" && code ? code : undefined;
    if (answered) s += `: ${d.service} answered ${answered}`;
    if (d.serviceMessage) s += `${answered ? "" : ":"} "${d.serviceMessage}"`;
    s += ".";
    const hint = hintFor(d);
    if (hint) s += ` To fix: ${hint}.`;
    if (d.requestId) s += ` (MS-RequestId ${d.requestId}${d.correlationId ? `, MS-CorrelationId ${d.correlationId}` : ""})`;
    return s;
  }
}

/** A type guard that works across copies of this module (it matches on `name`, as RestError does). */
export function isPartnerCenterError(err: unknown): err is PartnerCenterError {
  return typeof err === "object" && err !== null && (err as { name?: unknown }).name === "PartnerCenterError";
}

/** What to do about Entra ID's permanent answers to a token request (README "Troubleshooting"). */
const entraHints: Record<string, string> = {
  AADSTS7000215: "partnercenter:clientSecret is wrong: set it to the secret's value (not its ID), or rotate it",
  AADSTS7000222: "the client secret expired: create a new one and set partnercenter:clientSecret",
  AADSTS700027:
    "the certificate is not one of the app's: check partnercenter:certificatePath and certificateThumbprint against the app registration's certificates",
  AADSTS700016: "the app is not in that tenant: consent it in the customer (CPV), or check partnercenter:tenantId and clientId",
  AADSTS90002: "no such tenant: check partnercenter:tenantId",
  AADSTS70008: "the refresh token expired: get a new one and set partnercenter:refreshToken (--secret)",
  AADSTS50173: "the refresh token was revoked: get a new one and set partnercenter:refreshToken (--secret)",
  AADSTS70021: "no federated credential of the app matches the OIDC token: check its issuer, subject and audience (api://AzureADTokenExchange)",
};

/**
 * `pulumi refresh`, `preview --refresh` and `destroy` use the provider configuration the engine stored
 * in the state at the last `up`, not the stack's config, unless the program runs: a credential fixed
 * in the config since then is still the old one there. The provider cannot tell which it was given.
 */
const storedConfigHint =
  "; if the stack's configuration already has the right value, this command used the configuration stored in the state at the last `pulumi up` (as `pulumi refresh`, `pulumi preview --refresh` and `pulumi destroy` do): run it again with --run-program";

/** The Entra answers whose fix is a `partnercenter:` credential key. */
const credentialCodes = new Set(["AADSTS7000215", "AADSTS7000222", "AADSTS700027", "AADSTS90002", "AADSTS70008", "AADSTS50173"]);

function hintFor(d: PartnerCenterErrorDetails): string | undefined {
  if (d.service === "Entra ID") {
    const hint = d.serviceCode ? entraHints[d.serviceCode] : undefined;
    return hint && credentialCodes.has(d.serviceCode!) ? hint + storedConfigHint : hint;
  }
  switch (d.statusCode) {
    case 401:
      // The pipeline already sent the call again with a fresh token (see authPolicy.ts).
      if (/expired/i.test(d.serviceMessage ?? "")) return "the service refused a fresh token as expired too: check that this machine's clock is right";
      return "check the credentials in the partnercenter: configuration and that the token is for this API";
    case 403:
      // When the service names the GDAP roles it wanted, that is the whole story: the token's kind was fine.
      if (/GDAP role/i.test(d.serviceMessage ?? "")) {
        return "give the partner's GDAP relationship with that customer one of the roles the service named (see README 'GDAP roles')";
      }
      if (/App\+User|app-only/i.test(d.serviceMessage ?? "")) {
        return "this call takes a partner user's token: set partnercenter:refreshToken (--secret) (see README 'Authentication')";
      }
      return d.customerId
        ? "the partner needs a GDAP role for this operation in that customer (see README 'GDAP roles'), and customer users and delegated-admin customers need App+User credentials (partnercenter:refreshToken)"
        : "the credentials lack the permission for this operation (see README 'Authentication')";
    case 429:
      return `the service is throttling; lower partnercenter:*RateLimit or split the rollout into waves${d.retryAfterSeconds ? ` (it asked to wait ${d.retryAfterSeconds}s)` : ""}`;
    default:
      return undefined;
  }
}

/** Builds the error for a non-2xx HTTP answer, reading whichever of the services' error shapes it has. */
export function errorFromResponse(args: {
  operation: string;
  service: ServiceName;
  customerId?: string;
  statusCode: number;
  body: string;
  requestId?: string;
  correlationId?: string;
  retryAfterSeconds?: number;
}): PartnerCenterError {
  let serviceCode: string | undefined;
  let serviceMessage: string | undefined;
  let json: unknown;
  try {
    json = JSON.parse(args.body);
  } catch {
    json = undefined;
  }
  const pc = partnerCenterErrorBodySchema.safeParse(json);
  const throttle = partnerCenterThrottleBodySchema.safeParse(json);
  const graph = graphErrorBodySchema.safeParse(json);
  if (pc.success) {
    serviceCode = pc.data.code;
    serviceMessage = pc.data.description;
  } else if (graph.success) {
    serviceCode = graph.data.error.code;
    serviceMessage = graph.data.error.message;
  } else if (throttle.success) {
    serviceMessage = throttle.data.message;
  } else if (args.body.trim()) {
    serviceMessage = args.body.trim().slice(0, 300);
  }
  return new PartnerCenterError({
    operation: args.operation,
    service: args.service,
    customerId: args.customerId,
    statusCode: args.statusCode,
    serviceCode,
    serviceMessage,
    requestId: args.requestId,
    correlationId: args.correlationId,
    retryable: isRetryableStatus(args.statusCode),
    retryAfterSeconds: args.retryAfterSeconds,
  });
}

/** 408, 429 and 5xx are worth another try; 400/401/403/404/409/417 never are (as the .NET SDK). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** A 2xx body that does not match its schema: name the field, so a user can report it. */
export function responseMismatch(operation: string, service: ServiceName, err: ZodError, requestId?: string) {
  const issue = err.issues[0];
  const field = issue?.path.length ? issue.path.join(".") : "(body)";
  return new PartnerCenterError(
    {
      operation,
      service,
      requestId,
      serviceMessage: undefined,
    },
    `Could not ${operation}: ${service} answered with a body this provider does not understand: field '${field}' ${issue?.message ?? "is invalid"}${requestId ? ` (request id ${requestId})` : ""}.`,
  );
}
