import { randomUUID } from "crypto";
import type { PipelinePolicy } from "./types";

/**
 * MS-RequestId is Partner Center's idempotency key: it is fixed here, before the retry policy, so all
 * attempts of one logical call carry the same value and a POST retried after a lost answer cannot
 * create a second user. The next logical call gets a new one. MS-CorrelationId traces the call.
 */
export const requestIdsPolicy: PipelinePolicy = {
  name: "requestIds",
  sendRequest(request, next) {
    const headers = { ...request.headers };
    headers["MS-RequestId"] ??= randomUUID();
    headers["MS-CorrelationId"] ??= randomUUID();
    return next({ ...request, headers });
  },
};
