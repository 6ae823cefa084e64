import type { ApiResponse, RequestContext } from "../http/context";
import { graphError } from "../http/errors";
import type { Services } from "../services";

/**
 * `GET /domains` of the tenant the token is for (a customer's, through the partner's CPV app):
 * the customer's domains, all verified. Needs Domain.Read.All or Directory.Read.All.
 */
export function listDomains(ctx: RequestContext, svc: Services): ApiResponse {
  const granted = [...(ctx.caller?.roles ?? []), ...(ctx.caller?.scopes ?? [])];
  if (!granted.some((p) => p === "Domain.Read.All" || p === "Directory.Read.All")) {
    throw graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
  }
  const customer = svc.store.getCustomer(ctx.caller?.tenantId ?? "");
  const domains = customer?.domains ?? [];
  return {
    status: 200,
    body: {
      "@odata.context": `${svc.baseUrl}/graph/v1.0/$metadata#domains`,
      value: domains.map((d, i) => ({
        id: d.name,
        authenticationType: d.federated ? "Federated" : "Managed",
        isDefault: i === 0,
        isInitial: /\.onmicrosoft\.com$/i.test(d.name),
        isVerified: true,
        isRoot: true,
        supportedServices: ["Email", "OfficeCommunicationsOnline"],
      })),
    },
  };
}
