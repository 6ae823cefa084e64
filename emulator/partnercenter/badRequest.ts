import type { ZodError } from "zod";
import { readJsonBody, type RequestContext } from "../http/context";
import { partnerCenterError, ServiceError } from "../http/errors";
import type { z } from "zod";

/** Partner Center's 400 for bad input: code 2000 and a description naming the field. */
export const badRequest = (description: string): ServiceError => partnerCenterError(400, "2000", description);

export function describeZod(e: ZodError): string {
  return e.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
}

/**
 * Request bodies are documented as `application/json` only. chosen: another media type is a 400
 * (the documented answer to "missing or invalid input"); 415 is not among the documented statuses.
 */
function requireJson(ctx: RequestContext): void {
  const type = (ctx.req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") {
    throw badRequest(`The request body must be sent as Content-Type: application/json; got '${type || "none"}'.`);
  }
}

/** Reads a JSON body against a schema or throws the 400 a client can act on. */
export function parseBody<S extends z.ZodTypeAny>(ctx: RequestContext, schema: S): z.infer<S> {
  requireJson(ctx);
  const raw = readJsonBody(ctx);
  if (!raw.ok) throw badRequest(raw.reason);
  const parsed = schema.safeParse(raw.value);
  if (!parsed.success) throw badRequest(`The request body is invalid: ${describeZod(parsed.error)}`);
  return parsed.data;
}
