/**
 * The provider's credentials, pipeline and clients against the emulator, over real HTTPS with real
 * tokens from its token endpoint (through msal-node): each credential kind, MSAL's cache, the three
 * error shapes, paging to the end, idempotent retried POSTs, Retry-After, and TLS.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type AdminClient } from "../../emulator";
import { builtInRoles } from "../../provider/clients/builtInRoles";
import { ServiceContext } from "../../provider/context";
import { PartnerCenterError } from "../../provider/errors";
import { readDefaultSeed } from "../../emulator/seed/load";
import { customerOf } from "../support/inventory";
import { failure, providerConfigFor } from "../support/providerConfig";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const configFor = providerConfigFor;

describe("credentials, pipeline and clients against the emulator", () => {
  let emu: Emulator;
  let admin: AdminClient;
  let contoso: string;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pcenter-clients-"));

  beforeAll(async () => {
    const seed = readDefaultSeed() as any;
    seed.settings = { ...(seed.settings ?? {}), delegatedAdminPageSize: 7 };
    emu = await startEmulator({ seed });
    admin = emu.admin;
    contoso = "0d4e389b-0ab8-5563-abe8-dd9ac0c47a80";
  });
  beforeEach(async () => {
    await admin.call("POST", "/reset");
  });
  afterAll(async () => {
    await emu.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it.each([
    ["a client secret", (_e: Emulator) => ({})],
    [
      "a certificate (SHA-1 thumbprint)",
      (e: Emulator) => ({
        clientSecret: undefined,
        certificatePath: e.credentials.certificatePemFile,
        certificateThumbprint: e.credentials.certificateThumbprint,
      }),
    ],
    [
      "a certificate (SHA-256 thumbprint)",
      (e: Emulator) => ({
        clientSecret: undefined,
        certificatePath: e.credentials.certificatePemFile,
        certificateThumbprint: e.credentials.certificateThumbprintSha256,
      }),
    ],
  ])("reads the organization with app-only tokens from %s", async (_kind, overrides) => {
    const ctx = new ServiceContext(configFor(emu, overrides(emu) as Record<string, string | undefined>));
    const org = await ctx.partnerCenter.getOrganization(contoso);
    expect(org.displayName).toBe("Contoso");
  });

  it("uses a federated OIDC token, re-read from its file at every token request", async () => {
    const tokenFile = path.join(tmp, "oidc-token");
    const issue = async () => (await admin.call("POST", "/oidc/token", { subject: emu.credentials.federatedSubject })).token as string;
    fs.writeFileSync(tokenFile, await issue());
    const ctx = new ServiceContext(configFor(emu, { clientSecret: undefined, federatedTokenFile: tokenFile }));
    expect((await ctx.partnerCenter.getOrganization(contoso)).displayName).toBe("Contoso");
    // The CI rotates the file; a token for another tenant then needs a new assertion, read afresh.
    fs.writeFileSync(tokenFile, "not-a-jwt");
    const err = await failure(ctx.credentials.appToken("https://graph.microsoft.com/.default", contoso));
    expect(err.service).toBe("Entra ID");
    fs.writeFileSync(tokenFile, await issue());
    await expect(ctx.credentials.appToken("https://graph.microsoft.com/.default", contoso)).resolves.toMatch(/^eyJ/);
  });

  it("asks the token endpoint once per (tenant, scope) for a whole run", async () => {
    const ctx = new ServiceContext(configFor(emu));
    for (let i = 0; i < 5; i++) {
      await ctx.partnerCenter.getOrganization(contoso); // app-only, Partner Center
      await ctx.partnerCenter.listUsers(contoso); // App+User, Partner Center
      await ctx.delegatedAdmin.listCustomers({ top: 5 }); // App+User, delegated admin
      await ctx.graph.getServicePrincipalByAppId(contoso, emu.credentials.clientId); // app-only, customer tenant
    }
    expect(ctx.credentials.networkClient.tokenRequests).toBe(4);
  });

  it("turns each of the services' error shapes into one error type with the service's code and request id", async () => {
    const ctx = new ServiceContext(configFor(emu));
    const notFound = await failure(ctx.partnerCenter.updateUser(contoso, "00000000-0000-0000-0000-000000000001", { displayName: "x" }));
    expect(notFound).toMatchObject({ statusCode: 404, serviceCode: "60002", service: "Partner Center", customerId: contoso });
    expect(notFound.requestId).toMatch(/[0-9a-f-]{36}/);
    expect(notFound.message).toMatch(/Could not update user .* for customer 0d4e389b.*answered 404 \(code 60002\).*MS-RequestId/);

    const graph = await failure(
      ctx.graph.listMultiTenantOrganizationMembers({ tenantId: "not-a-guid" }).catch((e) => {
        throw new PartnerCenterError({ operation: "x" }, e.message);
      }),
    );
    expect(graph.message).toMatch(/GUID/);
    const missing = await ctx.graph.getMultiTenantOrganizationMember("11111111-2222-3333-4444-555555555555");
    expect(missing).toBeUndefined(); // 404 Request_ResourceNotFound is "not a member"

    const badSecret = new ServiceContext(configFor(emu, { clientSecret: "wrong-secret-value" }));
    const aad = await failure(badSecret.partnerCenter.getOrganization(contoso));
    expect(aad).toMatchObject({ service: "Entra ID", serviceCode: "AADSTS7000215" });
    expect(aad.message).not.toContain("wrong-secret-value");

    await admin.call("PUT", "/limits", { organization: { requestsPerSecond: 1, burst: 1, retryAfterSeconds: 30 } });
    const throttled = new ServiceContext(configFor(emu, { maxRetries: "0", requestRateLimit: "1000" }));
    await throttled.partnerCenter.getOrganization(contoso);
    const tooMany = await failure(throttled.partnerCenter.getOrganization(contoso));
    expect(tooMany).toMatchObject({ statusCode: 429, retryable: true, retryAfterSeconds: 30 });
    expect(tooMany.serviceMessage).toMatch(/Rate limit is exceeded/);
  });

  it("follows every page of users and of delegated-admin customers", async () => {
    const ctx = new ServiceContext(configFor(emu));
    for (let i = 0; i < 5; i++) {
      await ctx.partnerCenter.createUser(contoso, {
        userPrincipalName: `pager${i}@contoso.onmicrosoft.com`,
        displayName: `Pager ${i}`,
        usageLocation: "US",
        passwordProfile: { password: "Pager-Passw0rd!", forceChangePassword: true },
      });
    }
    const inventory = await admin.inventory();
    const active = customerOf(inventory, contoso).users.filter((u: any) => u.state === "active");
    const listed = await ctx.partnerCenter.listUsers(contoso, { pageSize: 2 });
    expect(listed.map((u) => u.id).sort()).toEqual(active.map((u: any) => u.id).sort());
    expect(listed.length).toBeGreaterThan(4);

    const { customers } = await ctx.delegatedAdmin.listCustomers();
    expect(customers).toHaveLength(inventory.customers.length); // 25 rows, pages of 7
    const gdap = await ctx.delegatedAdmin.listCustomers({ filter: "dapEnabled eq false", orderBy: "organizationDisplayName desc" });
    expect(gdap.customers.every((c) => c.dapEnabled === false)).toBe(true);
    const names = gdap.customers.map((c) => c.organizationDisplayName!);
    expect(names).toEqual([...names].sort().reverse());
    // The option as the delegated-admin customers page spells it: `$orderBy`, not `$orderby`.
    const logged = (await admin.call("GET", "/requests?limit=100")) as any;
    const listCalls = (logged.requests ?? logged).filter((r: any) => /delegatedAdminCustomers/i.test(r.path) && /orderby/i.test(r.query));
    expect(listCalls.length).toBeGreaterThan(0);
    for (const r of listCalls) expect(new URLSearchParams(r.query).get("$orderBy")).toBe("organizationDisplayName desc");
  });

  it("retries a POST whose answer was lost after the service committed it, creating exactly one user", async () => {
    await admin.call("PUT", "/faults", { rules: [{ group: "users", method: "POST", action: "resetAfterCommit", times: 1 }] });
    const ctx = new ServiceContext(configFor(emu));
    const user = await ctx.partnerCenter.createUser(contoso, {
      userPrincipalName: "once@contoso.onmicrosoft.com",
      displayName: "Exactly Once",
      usageLocation: "US",
      passwordProfile: { password: "Once-Passw0rd!", forceChangePassword: true },
    });
    const inventory = await admin.inventory();
    const same = customerOf(inventory, contoso).users.filter((u: any) => u.userPrincipalName === "once@contoso.onmicrosoft.com");
    expect(same).toHaveLength(1);
    expect(same[0].id).toBe(user.id);
    const posts = (await admin.call("GET", "/requests?limit=100")) as any;
    const attempts = (posts.requests ?? posts).filter((r: any) => r.method === "POST" && /\/users$/.test(r.path));
    expect(attempts.length).toBe(2);
    expect(new Set(attempts.map((r: any) => r.requestId)).size).toBe(1);
  });

  it("waits out Retry-After when throttled: the emulator counts no early retry", async () => {
    await admin.call("PUT", "/limits", { organization: { requestsPerSecond: 2, burst: 2, retryAfterSeconds: 1 } });
    await admin.call("POST", "/metrics/reset");
    // The client-side limit (5/s) is set above the service's (2/s) to make the service say 429; after
    // the first 429 every request on that limit waits out Retry-After, retries and first attempts alike.
    const ctx = new ServiceContext(configFor(emu, { requestRateLimit: "5" }));
    const results = await Promise.all(Array.from({ length: 8 }, () => ctx.partnerCenter.getOrganization(contoso)));
    expect(results.every((o) => o.displayName === "Contoso")).toBe(true);
    const metrics = await admin.call("GET", "/metrics");
    expect(metrics.throttled.organization).toBeGreaterThan(0);
    expect(Object.values(metrics.earlyRetries ?? {}).reduce((a: number, b: any) => a + Number(b), 0)).toBe(0);
  });

  it("follows the long-running operation an access assignment's update answers (202, Location, Retry-After), then reads it back", async () => {
    const ctx = new ServiceContext(configFor(emu));
    const [userAdmin, helpdesk] = [builtInRoles["User Administrator"], builtInRoles["Helpdesk Administrator"]];
    const group = "1b7b0e7a-6c0d-4d6e-9d4b-2f3c1a9e5b01";
    const activeRelationship = async (displayName: string) => {
      const r = await ctx.gdap.createRelationship({
        displayName,
        duration: "P30D",
        customer: { tenantId: contoso },
        accessDetails: { unifiedRoles: [userAdmin, helpdesk].map((roleDefinitionId) => ({ roleDefinitionId })) },
        autoExtendDuration: "PT0S",
      });
      await ctx.gdap.requestAction(r.id, "lockForApproval");
      await admin.call("POST", `/delegatedAdminRelationships/${r.id}/approve`);
      const made = await ctx.gdap.createAccessAssignment(r.id, group, [userAdmin]);
      return { id: r.id, assignment: (await ctx.gdap.getAccessAssignment(r.id, made.id))! };
    };
    const r = await activeRelationship("lro");
    const a = r.assignment;
    await admin.clearRequests();
    // The same roles: "the API returns a 200 OK response code with the original" assignment.
    expect((await ctx.gdap.updateAccessAssignment(r.id, a.id, a["@odata.etag"]!, [userAdmin])).accessDetails.unifiedRoles).toEqual([
      { roleDefinitionId: userAdmin },
    ]);
    const updated = await ctx.gdap.updateAccessAssignment(r.id, a.id, a["@odata.etag"]!, [userAdmin, helpdesk]);
    expect(updated.accessDetails.unifiedRoles.map((x) => x.roleDefinitionId)).toEqual([userAdmin, helpdesk]);
    expect(updated["@odata.etag"]).not.toBe(a["@odata.etag"]);
    const seen = (await admin.requests()).filter((q) => q.path.includes(r.id));
    expect(seen.map((q) => `${q.method} ${q.status} ${q.path.replace(/.*\/(accessAssignments|operations)\/.*/, "$1")}`)).toEqual([
      "PATCH 200 accessAssignments",
      "PATCH 202 accessAssignments",
      "GET 200 operations",
      "GET 200 accessAssignments",
    ]);
    // The operation is looked at no earlier than the 202's Retry-After (1 s), and it had completed.
    expect(Date.parse(seen[2].time) - Date.parse(seen[1].time)).toBeGreaterThanOrEqual(990);

    // The customer ends the relationship while the update runs: the operation fails, and so does the update.
    const again = (await ctx.gdap.getAccessAssignment(r.id, a.id))!;
    await admin.clearRequests();
    const pending = ctx.gdap.updateAccessAssignment(r.id, a.id, again["@odata.etag"]!, [helpdesk]);
    for (let i = 0; i < 200 && !(await admin.requests()).some((q) => q.method === "PATCH" && q.status === 202 && q.path.includes(r.id)); i++)
      await new Promise((done) => setTimeout(done, 5));
    await admin.call("POST", `/delegatedAdminRelationships/${r.id}/terminate`);
    const err = await failure(pending);
    expect(err.message).toMatch(/long-running operation [0-9a-f-]{36} failed \(.*The relationship is terminated/);
    expect((await admin.call("GET", "/delegatedAdminRelationships")).relationships.find((x: any) => x.id === r.id).accessAssignments[0].accessDetails).toEqual({
      unifiedRoles: [{ roleDefinitionId: userAdmin }, { roleDefinitionId: helpdesk }],
    });
  });

  it("refuses the emulator's TLS certificate unless its CA is configured", async () => {
    const ctx = new ServiceContext(configFor(emu, { caFile: undefined }));
    const err = await failure(ctx.partnerCenter.getOrganization(contoso));
    expect(err.message).toMatch(/TLS certificate is not trusted.*set partnercenter:caFile/);
  });
});
