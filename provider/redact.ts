/**
 * Keeps secrets out of logs and error messages. Two layers: values registered at run time (a client
 * secret, a refresh token, a user's password, issued access tokens) are replaced wherever they occur,
 * and anything shaped like a bearer token or JWT is masked even if nobody registered it.
 */
const registered = new Set<string>();

/** Registers a value that must never appear in text we emit. Short values are ignored (too many false hits). */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) registered.add(value);
}

const jwtPattern = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const bearerPattern = /(Bearer\s+)[^\s"',]+/gi;
const fieldPattern = /("?(?:password|client_secret|clientSecret|refresh_token|refreshToken|access_token|client_assertion)"?\s*[:=]\s*"?)([^"&\s,}]+)/gi;

export function redactText(text: string): string {
  let out = text;
  for (const secret of registered) {
    if (out.includes(secret)) out = out.split(secret).join("[REDACTED]");
  }
  return out.replace(jwtPattern, "[REDACTED-JWT]").replace(bearerPattern, "$1[REDACTED]").replace(fieldPattern, "$1[REDACTED]");
}

/** Header names whose values are never logged. */
export const sensitiveHeaders = new Set(["authorization", "cookie", "set-cookie", "x-ms-client-secret"]);
