/**
 * The providers' decisions, without a service: what `diff` replaces or updates, and what `check`
 * accepts. The end-to-end tests show the same decisions through the engine; these say why, fast.
 */
import type { CustomerUserPatch } from "../../provider/clients/partnerCenter";
import type { CustomerUser } from "../../provider/clients/schemas";
import { applicationConsentProvider } from "../../provider/resources/applicationConsent";
import { customerUserProvider } from "../../provider/resources/customerUser";
import { delegatedAdminAccessAssignmentProvider } from "../../provider/resources/delegatedAdminAccessAssignment";
import { delegatedAdminRelationshipProvider } from "../../provider/resources/delegatedAdminRelationship";
import * as runtime from "../../provider/resources/runtime";
import type { ServiceContext } from "../../provider/context";

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
    const d = await applicationConsentProvider.diff("c", consent, {
      ...consent,
      grants: [{ enterpriseApplicationId: graph.toUpperCase(), scopes: ["directory.read.all", "User.Read.All"] }],
    });
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

describe("CustomerUser updates", () => {
  /** A Partner Center that records each PATCH and answers with the user as patched. */
  function service() {
    const patches: CustomerUserPatch[] = [];
    const partnerCenter = {
      updateUser: async (_customerId: string, userId: string, patch: CustomerUserPatch): Promise<CustomerUser> => {
        patches.push(patch);
        const { passwordProfile: _p, ...fields } = patch;
        return {
          id: userId,
          userPrincipalName: user.userPrincipalName,
          displayName: user.displayName,
          usageLocation: user.usageLocation,
          userDomainType: "none",
          state: "active",
          ...fields,
        };
      },
    };
    jest.spyOn(runtime, "context").mockReturnValue({ partnerCenter, credentials: { hasUserCredential: true } } as unknown as ServiceContext);
    return patches;
  }
  afterEach(() => jest.restoreAllMocks());

  it("PATCHes only what changed (displayName always), without a password reset when the password is the same", async () => {
    const patches = service();
    const { outs } = await customerUserProvider.update("u-1", { ...userState, firstName: "Ann" }, { ...user, firstName: "Anne" });
    expect(patches).toEqual([{ displayName: "Ann", firstName: "Anne" }]);
    expect(outs).toMatchObject({ firstName: "Anne", userId: "u-1", state: "active" });
  });

  it("resets the password when it changes, and leaves out a field the program does not set", async () => {
    const patches = service();
    await customerUserProvider.update("u-1", { ...userState, lastName: "Lee" }, { ...user, password: "Other-Passw0rd!" });
    expect(patches).toEqual([{ displayName: "Ann", passwordProfile: { password: "Other-Passw0rd!", forceChangePassword: true } }]);
  });
});

describe("GDAP decisions", () => {
  const relationship = {
    displayName: "Contoso admins",
    customerId,
    duration: "P730D",
    roleDefinitionIds: ["62e90394-69f5-4237-9190-012177145e10"],
    autoExtendDuration: "PT0S" as const,
    lockForApproval: true,
    adopt: false,
  };

  it("updates a relationship's name in place while it is created, and replaces it once locked", async () => {
    const news = { ...relationship, displayName: "Contoso admins 2" };
    const created = await delegatedAdminRelationshipProvider.diff("r", { ...relationship, status: "created", approvalUrl: "u" }, news);
    expect(created).toMatchObject({ changes: true, replaces: [] });
    const locked = await delegatedAdminRelationshipProvider.diff("r", { ...relationship, status: "approvalPending", approvalUrl: "u" }, news);
    expect(locked.replaces).toEqual(["displayName"]);
  });

  it("updates an access assignment's roles in place, in any order and case", async () => {
    const assignment = { relationshipId: "r", securityGroupId: customerId, roleDefinitionIds: ["a", "b"], adopt: false };
    const same = await delegatedAdminAccessAssignmentProvider.diff(
      "r/a",
      { ...assignment, accessAssignmentId: "a", status: "active" },
      { ...assignment, roleDefinitionIds: ["B", "a"] },
    );
    expect(same.changes).toBe(false);
    const more = await delegatedAdminAccessAssignmentProvider.diff(
      "r/a",
      { ...assignment, accessAssignmentId: "a", status: "active" },
      { ...assignment, roleDefinitionIds: ["a", "b", "c"] },
    );
    expect(more).toMatchObject({ changes: true, replaces: [] });
  });
});
