/**
 * Failures below HTTP (no answer at all): which are worth a retry, which never reached the service,
 * and a sentence a user can act on: which service, at which host, and why, from the error's code
 * (undici and Node put it on the error or on its cause). Without this a user sees "Network request
 * failed" or "fetch failed", which names nothing.
 */
import { PartnerCenterError, ServiceName } from "../errors";

/** TLS verification failures: the service's certificate chains to a CA this process does not trust. */
const untrustedCertificateCodes = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

const timeoutCodes = new Set(["ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/** What this file reads of an error and its causes (Node's system errors, undici's, AggregateError). */
type ErrorLike = { code?: unknown; name?: unknown; message?: unknown; errors?: unknown; cause?: ErrorLike } | undefined;

const transientCodes = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);

/**
 * Connection-level failures worth a retry; the request may have reached the service unless the
 * connection was refused (isConnectionRefused). A
 * PartnerCenterError is never one, whatever its cause: it is a call that already ran out of retries
 * (a token request, whose pipeline retried it), and retrying it again would multiply the attempts.
 */
export function isTransientNetworkError(err: unknown): boolean {
  for (let e = err as { name?: unknown; code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.name === "PartnerCenterError") return false;
    if (typeof e.code === "string" && transientCodes.has(e.code)) return true;
    if (e.name === "TimeoutError") return true;
  }
  return false;
}

/** The connection was refused: nothing of the request was sent. */
export function isConnectionRefused(err: unknown): boolean {
  return codesOf(err).includes("ECONNREFUSED");
}

/** Failures the retry policy gave up on with every attempt refused: the service never saw the request. */
const neverSent = new WeakSet<object>();

export function markNeverSent(err: unknown): void {
  if (typeof err === "object" && err !== null) neverSent.add(err);
}

/** Whether no attempt of the call reached the service (its outcome is known: not applied). */
export function wasNeverSent(err: unknown): boolean {
  for (let e = err as ErrorLike; e; e = e.cause) if (neverSent.has(e as object)) return true;
  return false;
}

/** Every error code in the cause chain (and in an AggregateError's errors: IPv4 and IPv6 both refused), "timeout" for an AbortSignal timeout. */
function codesOf(err: unknown, codes: string[] = []): string[] {
  for (let e = err as ErrorLike; e; e = e.cause) {
    if (typeof e.code === "string") codes.push(e.code);
    if (e.name === "TimeoutError") codes.push("timeout");
    if (Array.isArray(e.errors)) for (const inner of e.errors) codesOf(inner, codes);
  }
  return codes;
}

function deepestMessage(err: unknown): string {
  let e = err as ErrorLike;
  while (e?.cause) e = e.cause;
  if (Array.isArray(e?.errors) && e.errors.length && !e.message) return deepestMessage(e.errors[0]);
  return (e as Error | undefined)?.message || String(err);
}

/** Whether the error is a failure to get any answer (a lost connection, an untrusted certificate), not a bug. */
export function isNetworkError(err: unknown): boolean {
  return isTransientNetworkError(err) || codesOf(err).some((c) => untrustedCertificateCodes.has(c));
}

/** "connection refused (ECONNREFUSED)" and what to do about it. */
export function describeNetworkError(err: unknown, host: string): { cause: string; hint: string } {
  const codes = codesOf(err);
  const has = (...wanted: string[]) => codes.find((c) => wanted.includes(c));
  const certificate = codes.find((c) => untrustedCertificateCodes.has(c));
  if (certificate) {
    return {
      cause: `its TLS certificate is not trusted (${certificate}: ${deepestMessage(err)})`,
      hint: `set partnercenter:caFile to the PEM file of the CA that signed ${host}'s certificate (for the emulator: the CA file it prints); TLS checking is never turned off`,
    };
  }
  const refused = has("ECONNREFUSED");
  if (refused)
    return {
      cause: "connection refused (ECONNREFUSED)",
      hint:
        `check that the service at ${host} is running and that the partnercenter: URL settings point at it; after a change of those settings, ` +
        "`pulumi refresh`, `pulumi preview --refresh` and `pulumi destroy` need --run-program to use them (they use the settings stored in the state)",
    };
  const notFound = has("ENOTFOUND", "EAI_AGAIN");
  if (notFound) return { cause: `host name not found (${notFound})`, hint: `check the host name ${host} in the partnercenter: URL settings, and DNS` };
  const closed = has("ECONNRESET", "UND_ERR_SOCKET", "UND_ERR_CLOSED", "EPIPE");
  if (closed)
    return {
      cause: `the connection was closed before an answer (${closed})`,
      hint: "run the command again; if it keeps happening, check the network or proxy between this machine and the service",
    };
  const timeout = has("timeout", ...timeoutCodes);
  if (timeout) return { cause: `no answer in time (${timeout})`, hint: "check the network, or raise partnercenter:requestTimeoutMs" };
  const message = deepestMessage(err);
  const code = codes.find((c) => !message.includes(c));
  return { cause: `${message}${code ? ` (${code})` : ""}`, hint: "check the network and the partnercenter: URL settings, then run the command again" };
}

/**
 * The error for a call that got no answer: operation, customer, service, host and cause. `retried`
 * says the retry policy tried more than once (transient causes); `afterward` adds what the caller
 * knows about the state the call may have left.
 */
export function networkFailure(args: {
  operation: string;
  service: ServiceName;
  url: string;
  customerId?: string;
  err: unknown;
  afterward?: string;
}): PartnerCenterError {
  const host = new URL(args.url).host;
  const { cause, hint } = describeNetworkError(args.err, host);
  const retried = isTransientNetworkError(args.err);
  // Every attempt refused: the service never saw the request, so there is no "may have been applied".
  const outcomeOpen = retried && !wasNeverSent(args.err);
  return new PartnerCenterError(
    { operation: args.operation, service: args.service, customerId: args.customerId, retryable: outcomeOpen, cause: args.err },
    `Could not ${args.operation}${args.customerId ? ` for customer ${args.customerId}` : ""}: the connection to ${args.service} at ${host} failed${retried ? " on every attempt" : ""}: ${cause}.${args.afterward && outcomeOpen ? ` ${args.afterward}` : ""} To fix: ${hint}.`,
  );
}
