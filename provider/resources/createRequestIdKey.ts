/**
 * The input that carries a create's MS-RequestId into the checkpoint. Named as the engine's own
 * internal keys are (`__provider`): the CLI's display leaves `__` keys out of every diff it prints.
 * A read answers with the live inputs, which hold no request id, and the CLI's default display
 * compares the recorded inputs with those when the provider gives no detailed diff (a dynamic
 * provider never can), so a plain `createRequestId` showed as `[diff: -createRequestId]` on every
 * resource of a clean `preview --refresh` or `up --refresh` (issue 28 item 8). `--diff` and
 * `pulumi refresh` print it differently and did not show it.
 */
export const createRequestIdKey = "__createRequestId";
