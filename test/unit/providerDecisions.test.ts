/**
 * The providers' decisions, without a service: what `diff` replaces or updates, and what `check`
 * accepts. The end-to-end tests show the same decisions through the engine; these say why, fast.
 */
import { applicationConsentProvider } from "../../provider/resources/applicationConsent";
import { customerUserProvider } from "../../provider/resources/customerUser";

const customerId = "0d4e389b-0ab8-5563-abe8-dd9ac0c47a80";
const user = {
  customerId,
  userPrincipalName: "ann@contoso.onmicrosoft.com",
  displayName: "Ann",
  usageLocation: "US",
  password: "Decide-Passw0rd!",
  forceChangePassword: true,
  adopt: false,
};
const userState = { ...user, userId: "u-1", state: "active", userDomainType: "none", lastDirectorySyncTime: null };
const graph = "00000003-0000-0000-c000-000000000000";
const consent = {
  customerId,
  applicationId: "39c26578-6564-55e1-b801-3ba85470347d",
  displayName: "Contoso Control Panel",
  grants: [{ enterpriseApplicationId: graph, scopes: ["User.Read.All", "Directory.Read.All"] }],
  replaceExisting: false,
  adopt: false,
};

describe("CustomerUser decisions", () => {
  it("updates in place when immutableId changes (the UPN stays; no replacement that restores the old user)", async () => {
    const d = await customerUserProvider.diff("u-1", { ...userState, immutableId: "a" }, { ...user, immutableId: "b" });
    expect(d).toMatchObject({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("replaces when the customer changes", async () => {
    const d = await customerUserProvider.diff("u-1", userState, { ...user, customerId: "5c5a59ec-def0-539c-8986-36777985a6ae" });
    expect(d.replaces).toEqual(["customerId"]);
  });

  it("sees no drift in optional fields the program leaves out", async () => {
    const d = await customerUserProvider.diff("u-1", { ...userState, firstName: "Ann", lastName: "Lee", immutableId: "x" }, user);
    expect(d.changes).toBe(false);
  });

  it("accepts the create-user page's own immutableId example and refuses control characters", async () => {
    const ok = await customerUserProvider.check({}, { ...user, immutableId: "Some unique ID" });
    expect(ok.failures.filter((f) => f.property === "immutableId")).toEqual([]);
    const bad = await customerUserProvider.check({}, { ...user, immutableId: "a\u0000b" });
    expect(bad.failures).toContainEqual({ property: "immutableId", reason: "immutableId must not contain control characters" });
  });

  it("names a customerId that is not a GUID before any call", async () => {
    const bad = await customerUserProvider.check({}, { ...user, customerId: `${customerId}#` });
    expect(bad.failures).toContainEqual(expect.objectContaining({ property: "customerId", reason: expect.stringMatching(/must be a GUID/) }));
  });
});

describe("ApplicationConsent decisions", () => {
  it("sees the same grants in any order as no change", async () => {
    const d = await applicationConsentProvider.diff("c", consent, { ...consent, grants: [{ enterpriseApplicationId: graph.toUpperCase(), scopes: ["directory.read.all", "User.Read.All"] }] });
    expect(d.changes).toBe(false);
  });

  it("replaces, deleting first, when a scope is removed", async () => {
    const d = await applicationConsentProvider.diff("c", consent, { ...consent, grants: [{ enterpriseApplicationId: graph, scopes: ["User.Read.All"] }] });
    expect(d).toMatchObject({ changes: true, replaces: ["grants"], deleteBeforeReplace: true });
  });

  it("replaces a consent that read back with no grants (its effect deleted in the tenant)", async () => {
    const d = await applicationConsentProvider.diff("c", { ...consent, grants: [] }, consent);
    expect(d.replaces).toEqual(["grants"]);
  });

  it("changes the adopt and replaceExisting flags without replacing", async () => {
    const d = await applicationConsentProvider.diff("c", consent, { ...consent, adopt: true });
    expect(d).toMatchObject({ changes: true, replaces: [] });
  });
});
