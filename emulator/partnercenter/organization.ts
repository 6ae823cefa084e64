import type { ApiResponse, RequestContext } from "../http/context";
import type { Services } from "../services";
import { customerFor } from "./access";

/** `GET .../organization`: an ARRAY with the one organization profile (App+User or app-only). */
export function getOrganization(ctx: RequestContext, svc: Services): ApiResponse {
  const customer = customerFor(ctx, svc, "organization", false);
  return { status: 200, body: [{ ...customer.organization, technicalNotificationMails: [...customer.organization.technicalNotificationMails] }] };
}
