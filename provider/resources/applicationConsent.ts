/**
 * The ApplicationConsent dynamic provider: Control Panel Vendor consent of an application in a
 * customer tenant. Partner Center has no GET for consents, so `read` looks at what the consent made
 * in the customer tenant through Graph (the application's service principal and its
 * oauth2PermissionGrants); a revoked grant or a removed scope shows as drift.
 *
 * Any change replaces the consent, deleting first: one application has one consent per customer.
 * A consent that already exists is another's until told otherwise (see adoption.ts): `adopt: true`
 * takes it when it grants what the program asks, `replaceExisting: true` deletes and re-creates it.
 *
 * A consent whose effect is gone from the customer tenant (its service principal or grants deleted
 * there) is still this stack's: read reports it with no grants, so `pulumi up` replaces it, which
 * puts the effect back, instead of forgetting it and then finding it "already exists".
 */
import type * as pulumi from "@pulumi/pulumi";
import { requireGuid } from "../clients/path";
import { isPartnerCenterError, PartnerCenterError } from "../errors";
import { adoptionHint, adoptMatching, outcomeUnknown, reportAdoption, unknownOutcomeHint } from "./adoption";
import { deleteInCustomer } from "./unreachable";
import { applicationConsentFields, ApplicationConsentInputs, applicationConsentInputsSchema, CheckFailure, Grant, validate } from "./inputs";
import {
  CreateRequest,
  createRequestId,
  freshRequestId,
  journaledCreate,
  recoveryFailure,
  reportRecovered,
  reportReplayedGone,
  retiringAnswered,
  withCreateRequestId,
  withoutCreateRequestId,
} from "./recovery";
import { configFailure, configure, context, knownOnly, StackConfig, warn } from "./runtime";
import { ApplicationConsentBody, applicationConsentSchema } from "../clients/schemas";

export type { Grant };
export type ApplicationConsentOutputs = ApplicationConsentInputs;

type Input = keyof ApplicationConsentInputs;
const inputKeys = Object.keys(applicationConsentFields) as Input[];
/** What the provider does, not what the consent is: a change of these is no replacement. */
const flags = new Set<Input>(["replaceExisting", "adopt"]);
/** How a field is compared; by value when not named here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each comparer takes its own field's type
const same: Partial<Record<Input, (a: any, b: any) => boolean>> = {
  applicationId: (a?: string, b?: string) => a?.toLowerCase() === b?.toLowerCase(),
  grants: (a: Grant[] = [], b: Grant[] = []) => sameGrants(a, b),
};
/** The inputs that are fields of Partner Center's consent (applicationConsentSchema), sent as they are. */
const consentFields = inputKeys.filter((k) => k in applicationConsentSchema.shape);

const grantKey = (g: Grant) =>
  `${g.enterpriseApplicationId.toLowerCase()}=${[...g.scopes]
    .map((s) => s.toLowerCase())
    .sort()
    .join(" ")}`;

/** The same grants, whatever the order of grants and scopes. */
export function sameGrants(a: Grant[], b: Grant[]): boolean {
  const ka = a.map(grantKey).sort();
  const kb = b.map(grantKey).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

export function describeGrants(grants: Grant[]): string {
  return grants.length ? grants.map((g) => `${g.enterpriseApplicationId}: ${g.scopes.join(", ")}`).join("; ") : "nothing";
}

type ReadBack =
  { kind: "absent" } | { kind: "present"; servicePrincipalId: string; displayName: string; grants: Grant[] } | { kind: "unauthorised"; reason: string };

/** What the consent did in the customer tenant, as Graph shows it. */
async function readBack(customerId: string, applicationId: string, expected: Grant[]): Promise<ReadBack> {
  const graph = context().graph;
  try {
    const sp = await graph.getServicePrincipalByAppId(customerId, applicationId);
    if (!sp) return { kind: "absent" };
    const grants = await graph.listPermissionGrants(customerId, sp.id);
    // Grants name the resource by its service principal's object id in that tenant: map them back
    // to the enterpriseApplicationId (appId) the program speaks of.
    const resourceAppIds = new Map<string, string>();
    for (const g of expected) {
      const resource = await graph.getServicePrincipalByAppId(customerId, g.enterpriseApplicationId);
      if (resource) resourceAppIds.set(resource.id, g.enterpriseApplicationId);
    }
    // A resource the program does not name (or, for an import, any): read its appId by object id.
    for (const id of new Set(grants.map((g) => g.resourceId).filter((r) => !resourceAppIds.has(r)))) {
      const resource = await graph.getServicePrincipal(customerId, id);
      if (resource) resourceAppIds.set(id, resource.appId);
    }
    return {
      kind: "present",
      servicePrincipalId: sp.id,
      displayName: sp.displayName ?? "",
      grants: grants
        .map((g) => ({
          enterpriseApplicationId: resourceAppIds.get(g.resourceId) ?? `servicePrincipal:${g.resourceId}`,
          scopes: g.scope.split(/[\s,]+/).filter(Boolean),
        }))
        .filter((g) => g.scopes.length > 0),
    };
  } catch (err) {
    // Not authorised: Graph says 401/403, or Entra ID refuses a token for that tenant (AADSTS700016:
    // the app has no service principal there). A network failure is not that, and is thrown.
    const refused =
      isPartnerCenterError(err) &&
      (err.statusCode === 401 || err.statusCode === 403 || (err.service === "Entra ID" && /^AADSTS\d+$/.test(err.serviceCode ?? "")));
    if (refused) {
      return { kind: "unauthorised", reason: err.message };
    }
    throw err;
  }
}

function consentBody(inputs: ApplicationConsentInputs): ApplicationConsentBody {
  return {
    ...(Object.fromEntries(consentFields.map((k) => [k, inputs[k]])) as Pick<ApplicationConsentBody, "applicationId">),
    applicationGrants: inputs.grants.map((g) => ({ enterpriseApplicationId: g.enterpriseApplicationId, scope: g.scopes.join(",") })),
  };
}

/**
 * After a replayed create (the service answers with its first answer): the consent is recorded only
 * if its effect is in the customer tenant; gone (deleted since), it is made anew with a new id.
 */
async function confirmReplayed(inputs: ApplicationConsentInputs, request: { id?: string; recovering: boolean }): Promise<void> {
  const what = `the consent of application ${inputs.applicationId} in customer ${inputs.customerId}`;
  const live = await readBack(inputs.customerId, inputs.applicationId, inputs.grants);
  if (live.kind === "present") return reportRecovered(what, request);
  if (live.kind === "absent") {
    reportReplayedGone(what);
    await context().partnerCenter.createConsent(inputs.customerId, consentBody(inputs), freshRequestId());
    return;
  }
  // Partner Center has no GET for a consent: without Graph access, the service's answer is all there is.
  warn(
    `finished the interrupted run's create of ${what}: sent again with that run's MS-RequestId and the service answered with its first answer, but it could not be read back (${live.reason}); \`pulumi refresh\` with Graph access shows whether it is still there`,
  );
}

/**
 * A consent by its resource id `{customerId}/{applicationId}`, for `pulumi import`. Partner Center
 * has no read of a consent; what it did is read in the customer tenant through Graph (the
 * application's service principal and its grants, each resource named by its appId), as `read` does.
 * The display name is the service principal's. Nothing is sent before both ids are checked GUIDs.
 */
async function readForImport(id: string) {
  const operation = `import the consent ${id}`;
  const parts = typeof id === "string" ? id.split("/") : [];
  if (parts.length !== 2) {
    throw new PartnerCenterError(
      { operation },
      `Could not ${operation}: the id must be {customerId}/{applicationId} (two GUIDs), the resource id an ApplicationConsent has. Nothing was sent to the service.`,
    );
  }
  const customerId = requireGuid("customerId", parts[0], operation);
  const applicationId = requireGuid("applicationId", parts[1], operation);
  const live = await readBack(customerId, applicationId, []);
  if (live.kind === "unauthorised") {
    throw new PartnerCenterError(
      { operation, customerId },
      `Could not ${operation}: the customer tenant's service principals and grants cannot be read (${live.reason}). Grant the partner app Application.Read.All and DelegatedPermissionGrant.Read.All in the customer tenant.`,
    );
  }
  if (live.kind === "absent" || live.grants.length === 0) {
    throw new PartnerCenterError(
      { operation, customerId, statusCode: 404 },
      `Could not ${operation}: customer ${customerId} has no consent of application ${applicationId} (${live.kind === "absent" ? "no service principal of it" : "its service principal has no grants"}).`,
    );
  }
  const inputs: ApplicationConsentInputs = {
    customerId,
    applicationId,
    displayName: live.displayName,
    grants: live.grants,
    replaceExisting: false,
    adopt: false,
  };
  return { id, props: inputs, inputs };
}

/** The consent's POST, once its request id is chosen and its intent is in the journal; an existing consent is taken only when told. */
async function consent(inputs: ApplicationConsentInputs, request: CreateRequest): Promise<void> {
  const pc = context().partnerCenter;
  const what = `the consent of application ${inputs.applicationId}`;
  try {
    await pc.createConsent(inputs.customerId, consentBody(inputs), request.id);
    if (request.recovering) await confirmReplayed(inputs, request);
  } catch (err) {
    if (outcomeUnknown(err)) {
      throw new PartnerCenterError(
        { operation: `consent application ${inputs.applicationId}`, customerId: inputs.customerId, cause: err },
        `${(err as Error).message} ${unknownOutcomeHint(what)}`,
      );
    }
    if (!(isPartnerCenterError(err) && err.statusCode === 409)) throw err;
    const live = await readBack(inputs.customerId, inputs.applicationId, inputs.grants);
    const matches = live.kind === "present" && sameGrants(live.grants, inputs.grants);
    const seen =
      live.kind === "present"
        ? describeGrants(live.grants)
        : live.kind === "unauthorised"
          ? "(could not be read: no Graph access to the customer tenant)"
          : "nothing in the customer tenant (no service principal found)";
    const reason = matches ? (inputs.adopt ? "adopt" : adoptMatching() ? "adoptMatching" : undefined) : undefined;
    if (inputs.replaceExisting && !matches) {
      await pc.deleteConsent(inputs.customerId, inputs.applicationId);
      await pc.createConsent(inputs.customerId, consentBody(inputs));
      reportAdoption(`${what} in customer ${inputs.customerId}, which granted ${seen}, by deleting and re-creating it`, "adopt");
    } else if (reason) {
      reportAdoption(`${what} in customer ${inputs.customerId}`, reason);
    } else {
      const fix = matches
        ? adoptionHint("ApplicationConsent")
        : `Its grants differ from the program's: make the program's grants match and set adopt: true to take it over as it is, or set replaceExisting: true to delete and re-create it (this stack then manages it).`;
      throw new PartnerCenterError(
        { operation: `consent application ${inputs.applicationId}`, customerId: inputs.customerId, statusCode: 409 },
        `Could not consent application ${inputs.applicationId} for customer ${inputs.customerId}: a consent already exists ("Permission entry already exists.") and it grants ${seen}, while the program asks for ${describeGrants(inputs.grants)}. ${fix}`,
      );
    }
  }
}

export const applicationConsentProvider = retiringAnswered("ApplicationConsent", {
  async configure(req: { config: StackConfig }): Promise<void> {
    configure(req.config);
  },

  async check(_olds: unknown, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
    const { known, unknownKeys } = knownOnly(news);
    const { inputs, failures } = validate(applicationConsentInputsSchema, known);
    const real = failures.filter((f) => !unknownKeys.has(f.property.split(/[.[]/)[0]));
    const config = configFailure();
    if (config) real.push(config);
    const recovery = config ? undefined : await recoveryFailure();
    if (recovery) real.push(recovery);
    return { inputs: withCreateRequestId(inputs ? { ...news, ...inputs } : news), failures: real };
  },

  async diff(_id: string, olds: ApplicationConsentOutputs, news: ApplicationConsentInputs): Promise<pulumi.dynamic.DiffResult> {
    const differs = (k: Input) => (flags.has(k) ? (olds[k] ?? false) !== (news[k] ?? false) : !(same[k] ?? Object.is)(olds[k], news[k]));
    const replaces = inputKeys.filter((k) => !flags.has(k) && differs(k));
    const flagChanged = [...flags].some(differs);
    return { changes: replaces.length > 0 || flagChanged, replaces, deleteBeforeReplace: true };
  },

  async create(inputs: ApplicationConsentInputs): Promise<{ id: string; outs: ApplicationConsentOutputs }> {
    const sameConsent = (p: Record<string, unknown>) =>
      p.customerId === inputs.customerId && String(p.applicationId).toLowerCase() === inputs.applicationId.toLowerCase();
    const request = await createRequestId("ApplicationConsent", inputs, sameConsent);
    const id = `${inputs.customerId}/${inputs.applicationId}`;
    const what = `the consent of application ${inputs.applicationId} in customer ${inputs.customerId}`;
    await journaledCreate("ApplicationConsent", inputs, request, {
      what,
      send: () => consent(inputs, request).then(() => ({ id })),
      // An earlier run's create answered: the consent it made, as Graph shows it in the customer tenant (gone: made anew).
      takeBack: async () => {
        const live = await readBack(inputs.customerId, inputs.applicationId, inputs.grants);
        if (live.kind === "absent") return undefined;
        if (live.kind === "unauthorised")
          warn(
            `${what} could not be read back (${live.reason}): Partner Center answered its create, so it is kept; \`pulumi refresh\` with Graph access shows whether it is still there`,
          );
        return { id };
      },
    });
    return { id, outs: withoutCreateRequestId({ ...inputs }) };
  },

  async read(id: string, props: ApplicationConsentOutputs) {
    // `pulumi import` reads with the id alone.
    if (props.customerId === undefined) return readForImport(id);
    const live = await readBack(props.customerId, props.applicationId, props.grants);
    if (live.kind === "unauthorised") {
      warn(
        `cannot read back consent ${id} (${live.reason}); keeping the recorded state. Grant the partner app Application.Read.All and DelegatedPermissionGrant.Read.All in the customer tenant to see drift.`,
      );
      return { id, props };
    }
    // Gone from the tenant, yet this stack's: no grants, so the next `up` replaces it (see the top).
    const grants = live.kind === "absent" ? [] : sameGrants(live.grants, props.grants) ? props.grants : live.grants;
    const current = { ...props, grants };
    return { id, props: current, inputs: current };
  },

  async update(_id: string, _olds: ApplicationConsentOutputs, news: ApplicationConsentInputs) {
    return { outs: withoutCreateRequestId({ ...news }) };
  },

  async delete(_id: string, props: ApplicationConsentOutputs): Promise<void> {
    await deleteInCustomer(props.customerId, `the consent of application ${props.applicationId}`, () =>
      context().partnerCenter.deleteConsent(props.customerId, props.applicationId),
    );
  },
} satisfies pulumi.dynamic.ResourceProvider);
