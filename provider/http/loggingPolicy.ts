import { redactText, sensitiveHeaders } from "../redact";
import { Clock, PipelinePolicy, systemClock } from "./types";

export type LogFn = (message: string) => void;

/** Logs each attempt on the wire, with headers that carry credentials left out and the rest redacted. */
export function loggingPolicy(log: LogFn, clock: Clock = systemClock): PipelinePolicy {
  return {
    name: "logging",
    async sendRequest(request, next) {
      const started = clock.now();
      const ids = `MS-RequestId=${request.headers["MS-RequestId"] ?? "-"} MS-CorrelationId=${request.headers["MS-CorrelationId"] ?? "-"}`;
      const shownHeaders = Object.keys(request.headers)
        .map((h) => (sensitiveHeaders.has(h.toLowerCase()) ? `${h}: [REDACTED]` : null))
        .filter(Boolean)
        .join(", ");
      try {
        const response = await next(request);
        log(
          redactText(
            `${request.method} ${request.url} attempt ${request.attempt ?? 1} -> ${response.status} in ${clock.now() - started}ms (${ids}${shownHeaders ? `, ${shownHeaders}` : ""})`,
          ),
        );
        return response;
      } catch (err) {
        log(
          redactText(`${request.method} ${request.url} attempt ${request.attempt ?? 1} -> ${(err as Error).message} after ${clock.now() - started}ms (${ids})`),
        );
        throw err;
      }
    },
  };
}
