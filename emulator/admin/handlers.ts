import type { ApiResponse, RequestContext } from "../http/context";
import { readJsonBody } from "../http/context";
import { ServiceError } from "../http/errors";
import { nest } from "../observability/metrics";
import type { z } from "zod";
import { faultsConfigSchema, type FaultsConfig } from "../policies/faults";
import { latencyConfigSchema, type LatencyConfig } from "../policies/latency";
import { limitsConfigSchema, type LimitsConfig } from "../policies/throttle";
import { describeZod } from "../partnercenter/badRequest";
import { advanceClockBody, clientSecretBody, customerPatchBody, oidcTokenBody, revokeRefreshTokenBody, userPatchBody } from "./bodies";
import { parseSeed } from "../seed/load";
import type { Services } from "../services";
import { partnerOf } from "../seed/partners";
import type { CustomerUser } from "../store/model";
import { userToWire } from "../partnercenter/users";
import { setSeededRoles } from "../gdap/admin";
import { heldRoles } from "../gdap/lifecycle";

/**
 * The admin API: test and demo control, never part of the emulated services. No auth, but only
 * loopback callers are served (the server also binds to 127.0.0.1 only).
 */
const adminError = (status: number, message: string) => new ServiceError(status, () => ({ error: status === 404 ? "not_found" : "bad_request", message }));

function json(ctx: RequestContext): unknown {
  if (ctx.body.length === 0) return {};
  const parsed = readJsonBody(ctx);
  if (!parsed.ok) throw adminError(400, parsed.reason);
  return parsed.value;
}

/** A body checked against its schema; a mismatch is a 400 whose message names each bad field by path. */
function body<S extends z.ZodTypeAny>(ctx: RequestContext, schema: S): z.infer<S> {
  const parsed = schema.safeParse(json(ctx));
  if (!parsed.success) throw adminError(400, `The request body is invalid: ${describeZod(parsed.error)}`);
  return parsed.data;
}

function customerOr404(ctx: RequestContext, svc: Services) {
  const c = svc.store.getCustomer(ctx.params.customerId);
  if (!c) throw adminError(404, `Unknown customer ${ctx.params.customerId}`);
  return c;
}

function userOr404(ctx: RequestContext, svc: Services): CustomerUser {
  const u = svc.store.getUser(customerOr404(ctx, svc).id, ctx.params.userId);
  if (!u) throw adminError(404, `Unknown user ${ctx.params.userId}`);
  return u;
}

const ok = (body: unknown = { ok: true }, status = 200): ApiResponse => ({ status, body });

export interface AdminDefaults {
  faults: FaultsConfig;
  limits: LimitsConfig;
  latency: LatencyConfig;
}

/** Commits the store (a dataFile persists it) and answers. */
const committed = (svc: Services, body?: unknown) => {
  svc.store.commit();
  return ok(body);
};

/** The seed: health, loading another, and the inventory of everything in the store. */
const seedHandlers = {
  health: (_ctx: RequestContext, svc: Services) => ok({ status: "ok", now: svc.clock.now().toISOString(), seed: svc.store.seed.name }),

  loadSeed: (ctx: RequestContext, svc: Services) => {
    let seed;
    try {
      seed = parseSeed(json(ctx), "seed");
    } catch (e) {
      throw adminError(400, (e as Error).message);
    }
    svc.store.load(seed);
    svc.throttle.resetCounters();
    svc.requestLog.clear();
    return ok({ ok: true, seed: seed.name, customers: seed.customers.length });
  },

  inventory: (_ctx: RequestContext, svc: Services) => {
    const now = svc.clock.now().toISOString();
    return ok({
      now,
      partner: svc.store.seed.partner,
      partners: svc.store.seed.partners.map(({ tenantId, displayName, domain, customers }) => ({ tenantId, displayName, domain, customers })),
      customers: svc.store.listCustomers().map((c) => ({
        id: c.id,
        partnerTenantId: partnerOf(svc.store.seed, c.id),
        displayName: c.organization.displayName,
        domains: c.domains,
        // Derived, as every role check derives them: the active relationships' access assignments.
        gdapRoles: heldRoles(c, svc),
        dapEnabled: c.dapEnabled,
        // forceChangePassword beside the wire shape: the one trace a password reset leaves (no password is kept).
        users: svc.store.listUsers(c.id).map((u) => ({ ...userToWire(c.id, u), forceChangePassword: u.forceChangePassword })),
        servicePrincipals: svc.store.listServicePrincipals(c.id),
        grants: svc.store.listGrants(c.id),
        consents: Object.values(c.consents),
      })),
      multiTenantOrganization: svc.store.seed.multiTenantOrganization,
    });
  },
};

/** Changes made outside Pulumi, as a person in a portal would make them: what drift detection must find. */
const outOfBandHandlers = {
  patchUser: (ctx: RequestContext, svc: Services) => {
    const user = userOr404(ctx, svc);
    const next = { ...user, ...body(ctx, userPatchBody) };
    svc.store.putUser(ctx.params.customerId, next);
    return committed(svc, userToWire(ctx.params.customerId, next));
  },

  /** Seed facts changed mid-run (e.g. a GDAP role removed), without reloading the seed and losing the state. */
  patchCustomer: (ctx: RequestContext, svc: Services) => {
    const c = customerOr404(ctx, svc);
    const { organization, gdapRoles, ...facts } = body(ctx, customerPatchBody);
    const next = svc.store.updateCustomer(c.id, { ...facts, ...(organization ? { organization: { ...c.organization, ...organization } } : {}) });
    if (gdapRoles) setSeededRoles(svc, next, gdapRoles);
    return committed(svc, { id: next.id, gdapRoles: heldRoles(next, svc), dapEnabled: next.dapEnabled, organization: next.organization });
  },

  deleteUser: (ctx: RequestContext, svc: Services) => {
    const user = userOr404(ctx, svc);
    const mode = ctx.query.get("mode") ?? "hard";
    if (mode === "soft") svc.store.putUser(ctx.params.customerId, { ...user, state: "inactive", softDeletionTime: svc.clock.now().toISOString() });
    else if (mode === "hard") svc.store.deleteUser(ctx.params.customerId, user.id);
    else throw adminError(400, "mode must be soft or hard");
    return committed(svc, { ok: true, mode });
  },

  deleteGrant: (ctx: RequestContext, svc: Services) => {
    const c = customerOr404(ctx, svc);
    if (!svc.store.deleteGrant(c.id, ctx.params.grantId)) throw adminError(404, `Unknown grant ${ctx.params.grantId}`);
    return committed(svc);
  },

  /** Removes one permission from a grant, as someone editing consent in the Entra portal would. */
  removeGrantScope: (ctx: RequestContext, svc: Services) => {
    const c = customerOr404(ctx, svc);
    const grant = svc.store.listGrants(c.id).find((g) => g.id === ctx.params.grantId);
    if (!grant) throw adminError(404, `Unknown grant ${ctx.params.grantId}`);
    const scopes = grant.scope.split(" ").filter((s) => s && s !== ctx.params.scope);
    svc.store.putGrant(c.id, { ...grant, scope: scopes.join(" ") });
    return committed(svc, { ...grant, scope: scopes.join(" ") });
  },

  deleteServicePrincipal: (ctx: RequestContext, svc: Services) => {
    const c = customerOr404(ctx, svc);
    const sp = svc.store.findServicePrincipalByAppId(c.id, ctx.params.appId);
    if (!sp) throw adminError(404, `No service principal for appId ${ctx.params.appId}`);
    svc.store.deleteServicePrincipal(c.id, sp.id);
    return committed(svc);
  },
};

/** The service's clock, which tests move to expire tokens and soft-deleted users. */
const clockHandlers = {
  getClock: (_ctx: RequestContext, svc: Services) => ok({ now: svc.clock.now().toISOString(), offsetSeconds: svc.clock.offset / 1000 }),

  advanceClock: (ctx: RequestContext, svc: Services) => {
    const { advanceSeconds } = body(ctx, advanceClockBody);
    svc.clock.advance(advanceSeconds);
    svc.store.setClockOffset(svc.clock.offset);
    svc.store.expire(svc.clock.nowMs());
    return committed(svc, { now: svc.clock.now().toISOString(), offsetSeconds: svc.clock.offset / 1000 });
  },
};

/** Faults, limits and latency, each read and replaced whole. */
const policyHandlers = {
  getFaults: (_ctx: RequestContext, svc: Services) => ok(svc.faults.get()),
  putFaults: (ctx: RequestContext, svc: Services) => {
    svc.faults.set(body(ctx, faultsConfigSchema));
    return ok(svc.faults.get());
  },
  getLimits: (_ctx: RequestContext, svc: Services) => ok(svc.throttle.get()),
  putLimits: (ctx: RequestContext, svc: Services) => {
    svc.throttle.set(body(ctx, limitsConfigSchema));
    return ok(svc.throttle.get());
  },
  getLatency: (_ctx: RequestContext, svc: Services) => ok(svc.latency.get()),
  putLatency: (ctx: RequestContext, svc: Services) => {
    svc.latency.set(body(ctx, latencyConfigSchema));
    return ok(svc.latency.get());
  },
};

/** What the service saw: metrics and the request log. */
const observabilityHandlers = {
  metrics: (_ctx: RequestContext, svc: Services) =>
    ok({
      requests: nest(svc.metrics.requests),
      tokensIssued: Object.fromEntries(svc.metrics.tokensIssued),
      throttled: Object.fromEntries(svc.throttle.throttled),
      earlyRetries: Object.fromEntries(svc.throttle.earlyRetries),
      maxRequestsPerSecond: svc.throttle.maxObservedPerSecond(),
      connectionResets: svc.metrics.resets,
      tlsHandshakes: svc.metrics.tlsHandshakes,
      faultsInjected: svc.faults.injected,
    }),
  resetMetrics: (_ctx: RequestContext, svc: Services) => {
    svc.metrics.clear();
    svc.throttle.resetCounters();
    return ok();
  },

  requests: (ctx: RequestContext, svc: Services) => {
    const raw = ctx.query.get("limit") ?? "0";
    if (!/^\d{1,9}$/.test(raw)) throw adminError(400, `limit must be a non-negative integer, not '${raw}'`);
    const limit = Number(raw);
    const all = svc.requestLog.list();
    return ok({ requests: limit > 0 ? all.slice(-limit) : all });
  },
  clearRequests: (_ctx: RequestContext, svc: Services) => {
    svc.requestLog.clear();
    return ok();
  },
};

/** Refresh tokens and the OIDC issuer for workload identity federation. */
const identityHandlers = {
  revokeRefreshToken: (ctx: RequestContext, svc: Services) => {
    const filter = body(ctx, revokeRefreshTokenBody);
    const revoked = svc.store.revokeRefreshTokens({ token: filter.refreshToken, userId: filter.userId });
    return committed(svc, { revoked });
  },
  /** A secret rotated in the portal: the app's old secret stops working at once, the new one works. */
  setClientSecret: (ctx: RequestContext, svc: Services) => {
    const { clientSecret } = body(ctx, clientSecretBody);
    const seed = svc.store.seed;
    const i = seed.applications.findIndex((a) => a.clientId.toLowerCase() === String(ctx.params.clientId).toLowerCase());
    if (i < 0) throw adminError(404, `no application ${ctx.params.clientId} in the seed`);
    // A new array: the store's seed shares its applications with the seed a reset goes back to.
    seed.applications = seed.applications.map((a, j) => (j === i ? { ...a, clientSecret } : a));
    return committed(svc);
  },

  oidcDiscovery: (_ctx: RequestContext, svc: Services) => ok(svc.oidc.discovery()),
  oidcKeys: async (_ctx: RequestContext, svc: Services) => ok(await svc.oidc.key.jwks()),
  oidcToken: async (ctx: RequestContext, svc: Services) => {
    const { subject, audience } = body(ctx, oidcTokenBody);
    const { token, expiresIn } = await svc.oidc.issue(subject, audience);
    return ok({ token, value: token, expires_in: expiresIn, issuer: svc.oidc.issuer });
  },
};

export function adminHandlers(defaults: AdminDefaults) {
  return {
    ...seedHandlers,
    /** Back to the seed and to the configured faults, limits and latency. */
    reset: (_ctx: RequestContext, svc: Services) => {
      svc.store.load(svc.defaultSeed);
      // Back to the seed means back to real time as well.
      svc.clock.offset = 0;
      svc.store.setClockOffset(0);
      svc.store.commit();
      svc.throttle.set(defaults.limits, true);
      svc.throttle.resetCounters();
      svc.faults.set(defaults.faults);
      svc.latency.set(defaults.latency);
      svc.metrics.clear();
      svc.requestLog.clear();
      return ok({ ok: true, seed: svc.store.seed.name });
    },
    ...outOfBandHandlers,
    ...clockHandlers,
    ...policyHandlers,
    ...observabilityHandlers,
    ...identityHandlers,
  };
}
