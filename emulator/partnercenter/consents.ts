import { z } from "zod";
import type { ApiResponse, RequestContext } from "../http/context";
import { partnerCenterError } from "../http/errors";
import { newGuid } from "../ids";
import type { ApplicationConsent, Customer } from "../store/model";
import type { Services } from "../services";
import { customerFor } from "./access";
import { parseBody } from "./badRequest";

const guid = z.guid("must be a GUID");

/** `"a, b,,"` -> `["a", "b"]`: the documented comma-separated scope. */
const permissionsOf = (scope: string): string[] =>
  scope
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

const consentBody = z.object({
  applicationId: guid,
  displayName: z.string().optional(),
  applicationGrants: z
    .array(z.object({ enterpriseApplicationId: guid, scope: z.string().refine((s) => permissionsOf(s).length > 0, "must list at least one permission") }))
    .min(1, "must contain at least one grant"),
});

/** Display names of first-party resources, so the customer tenant reads like a real one. */
const wellKnownApps: Record<string, string> = {
  "00000003-0000-0000-c000-000000000000": "Microsoft Graph",
  "00000002-0000-0000-c000-000000000000": "Windows Azure Active Directory",
  "fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd": "Microsoft Partner Center",
  "797f4846-ba00-4fd7-ba43-dac1f8f63013": "Windows Azure Service Management API",
};

function servicePrincipalFor(svc: Services, customer: Customer, appId: string, displayName: string): { id: string; created: boolean } {
  const existing = svc.store.findServicePrincipalByAppId(customer.id, appId);
  if (existing) return { id: existing.id, created: false };
  const id = newGuid();
  svc.store.putServicePrincipal(customer.id, { id, appId: appId.toLowerCase(), displayName });
  return { id, created: true };
}

const consentToWire = (c: ApplicationConsent) => ({
  applicationId: c.applicationId,
  displayName: c.displayName ?? null,
  applicationGrants: c.applicationGrants,
});

/**
 * CPV consent: what Entra ID does on admin consent, done at once: a service principal for the
 * application and one AllPrincipals oauth2PermissionGrant per granted resource.
 */
export function createConsent(ctx: RequestContext, svc: Services): ApiResponse {
  const customer = customerFor(ctx, svc, "consents", false);
  const body = parseBody(ctx, consentBody);
  if (svc.store.getConsent(customer.id, body.applicationId)) {
    // Status unconfirmed on the real service (CIPP treats the message as success); 409 chosen.
    throw partnerCenterError(409, "409", "Permission entry already exists.");
  }
  const client = servicePrincipalFor(svc, customer, body.applicationId, body.displayName ?? `Application ${body.applicationId}`);
  const grantIds: string[] = [];
  for (const g of body.applicationGrants) {
    const resource = servicePrincipalFor(
      svc,
      customer,
      g.enterpriseApplicationId,
      wellKnownApps[g.enterpriseApplicationId.toLowerCase()] ?? `Enterprise application ${g.enterpriseApplicationId}`,
    );
    const id = newGuid();
    const scope = permissionsOf(g.scope).join(" ");
    svc.store.putGrant(customer.id, { id, clientId: client.id, resourceId: resource.id, scope, consentType: "AllPrincipals", principalId: null });
    grantIds.push(id);
  }
  const consent: ApplicationConsent = {
    applicationId: body.applicationId.toLowerCase(),
    displayName: body.displayName,
    applicationGrants: body.applicationGrants,
    // A service principal that existed before the consent (e.g. the partner's own app) survives its removal.
    servicePrincipalId: client.created ? client.id : "",
    grantIds,
    createdDateTime: svc.clock.now().toISOString(),
  };
  svc.store.putConsent(customer.id, consent);
  return { status: 201, body: consentToWire(consent) };
}

export function deleteConsent(ctx: RequestContext, svc: Services): ApiResponse {
  const customer = customerFor(ctx, svc, "consents", false);
  const consent = svc.store.getConsent(customer.id, ctx.params.applicationId);
  if (!consent) {
    throw partnerCenterError(404, "404", `No application consent for application ${ctx.params.applicationId} exists in customer ${customer.id}.`);
  }
  for (const id of consent.grantIds) svc.store.deleteGrant(customer.id, id);
  if (consent.servicePrincipalId) svc.store.deleteServicePrincipal(customer.id, consent.servicePrincipalId);
  svc.store.deleteConsent(customer.id, consent.applicationId);
  return { status: 204 };
}
