import { applicationConsentInputsSchema, customerUserInputsSchema, validate } from "../../provider/resources/inputs";
import { toODataQuery } from "../../provider/clients/odata";
import { customerIdList, loadConfig } from "../../provider/config";
import { builtInRoles } from "../../provider/clients/builtInRoles";
import { relationshipInputsSchema } from "../../provider/resources/gdapInputs";

const user = {
  customerId: "6fc468f5-b399-4e05-a6f1-da8a33da9a6c",
  userPrincipalName: "breakglass@contoso.onmicrosoft.com",
  displayName: "Break Glass",
  usageLocation: "US",
  password: "Correct-Horse-42",
};

describe("CustomerUser inputs", () => {
  it("accepts a good user and defaults forceChangePassword to true", () => {
    const { inputs, failures } = validate(customerUserInputsSchema, user);
    expect(failures).toEqual([]);
    expect(inputs?.forceChangePassword).toBe(true);
  });

  it.each([
    ["customerId", { customerId: "not-a-guid" }, /GUID/],
    ["userPrincipalName", { userPrincipalName: "no at sign" }, /alias@domain/],
    ["usageLocation", { usageLocation: "XX" }, /ISO 3166-1/],
    ["usageLocation", { usageLocation: "us" }, /ISO 3166-1/],
    ["password", { password: "short" }, /8 to 256/],
    ["password", { password: "alllowercaseletters" }, /3 of/],
    ["displayName", { displayName: "" }, /empty/],
    ["displayName", { displayName: "x".repeat(257) }, /256/],
  ])("names %s when it is bad", (field, change, reason) => {
    const { failures } = validate(customerUserInputsSchema, { ...user, ...change });
    expect(failures).toHaveLength(1);
    expect(failures[0].property).toBe(field);
    expect(failures[0].reason).toMatch(reason);
  });
});

describe("ApplicationConsent inputs", () => {
  const consent = {
    customerId: user.customerId,
    applicationId: "1fd6544e-e994-4de2-9f1b-787b51c7d325",
    displayName: "Contoso Control Panel",
    grants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes: ["User.Read.All"] }],
  };
  it("rejects duplicated grants, empty grants and malformed scopes, naming the path", () => {
    expect(validate(applicationConsentInputsSchema, { ...consent, grants: [] }).failures[0]).toMatchObject({ property: "grants" });
    expect(validate(applicationConsentInputsSchema, { ...consent, grants: [consent.grants[0], consent.grants[0]] }).failures[0].reason).toMatch(/twice/);
    const bad = validate(applicationConsentInputsSchema, { ...consent, grants: [{ ...consent.grants[0], scopes: ["User.Read.All,Mail.Send"] }] });
    expect(bad.failures[0].property).toBe("grants[0].scopes[0]");
  });
});

describe("delegated-admin OData options", () => {
  it("accepts the documented operators and fields", () => {
    expect(
      toODataQuery({
        filter: "dapEnabled eq false and (organizationDisplayName ne 'O''Brien' or partnerSignInCount gt 3)",
        top: 300,
        orderBy: "startDateTime desc",
      }),
    ).toMatchObject({ $top: "300", $orderBy: "startDateTime desc" });
  });
  it.each([
    [{ top: 301 }, /top/],
    [{ filter: "displayName eq 'x'" }, /not a field/],
    [{ filter: "dapEnabled eq false; drop table" }, /unexpected/],
    [{ filter: "organizationDisplayName eq 'x' or 1 eq 1" }, /not a field/],
    [{ orderBy: "partnerAgentCount" }, /orderBy/],
    [{ select: ["id", "secret"] }, /select/],
  ])("rejects %j before sending", (query, message) => {
    expect(() => toODataQuery(query as any)).toThrow(message);
  });
});

describe("provider configuration", () => {
  it("lists everything missing in one message", () => {
    expect(() => loadConfig(() => undefined, {})).toThrow(/clientId[\s\S]*tenantId/);
  });
  it("rejects two app credentials at once", () => {
    const cfg: Record<string, string> = { clientId: user.customerId, tenantId: user.customerId, clientSecret: "s3cret-value", federatedToken: "x.y.z" };
    expect(() => loadConfig((k) => cfg[k], {})).toThrow(/only one app credential/);
  });
  it("falls back to the environment a CI sets", () => {
    const cfg = loadConfig(() => undefined, {
      AZURE_CLIENT_ID: user.customerId,
      AZURE_TENANT_ID: user.customerId,
      PARTNERCENTER_CLIENT_SECRET: "from-env-123",
    });
    expect(cfg.clientSecret).toBe("from-env-123");
    expect(cfg.consentRateLimit).toBe(48);
    expect(cfg.forgetCustomers).toBeUndefined();
  });
  it("reads the customers to forget as tenant ids separated by commas, and names the setting when one is not a GUID", () => {
    const env = { AZURE_CLIENT_ID: user.customerId, AZURE_TENANT_ID: user.customerId, PARTNERCENTER_CLIENT_SECRET: "from-env-123" };
    const other = "0D4E389B-0AB8-5563-ABE8-DD9AC0C47A80";
    expect(customerIdList(loadConfig(() => undefined, { ...env, PARTNERCENTER_FORGET_CUSTOMERS: `${user.customerId}, ${other}` }).forgetCustomers)).toEqual([
      user.customerId.toLowerCase(),
      other.toLowerCase(),
    ]);
    expect(() => loadConfig(() => undefined, { ...env, PARTNERCENTER_FORGET_CUSTOMERS: "contoso" })).toThrow(
      /partnercenter:forgetCustomers: forgetCustomers must be customer tenant ids \(GUIDs\)/,
    );
  });
});

import { rateLimitPerShard, selectShard } from "../../sdk/rollout";

describe("rollout shards", () => {
  const ids = Array.from({ length: 200 }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`);
  it("puts every customer in exactly one of the shards, and keeps it there when the list changes", () => {
    const shards = [1, 2, 3, 4].map((i) => selectShard(ids, `${i}/4`));
    expect(shards.flat().sort()).toEqual([...ids].sort());
    for (const s of shards) expect(s.length).toBeGreaterThan(25);
    const fewer = selectShard(ids.slice(50), "3/4");
    expect(fewer).toEqual(shards[2].filter((id) => ids.slice(50).includes(id)));
  });
  it("rejects a malformed shard and divides the service limit among parallel jobs", () => {
    expect(() => selectShard(ids, "0/4")).toThrow(/2\/4/);
    expect(rateLimitPerShard(4)).toBe(12);
    expect(rateLimitPerShard(4) * 4).toBeLessThan(50);
  });
});

describe("DelegatedAdminRelationship inputs Graph would refuse", () => {
  const good = { displayName: "Contoso baseline", customerId: user.customerId, roleDefinitionIds: [builtInRoles["User Administrator"]] };
  const randomGuid = "3b1c9a52-6d2e-4f8a-9b0c-1d2e3f4a5b6c";
  const failuresOf = (change: Record<string, unknown>) => validate(relationshipInputsSchema, { ...good, ...change }).failures;

  it.each([
    ["roleDefinitionIds[0]", { roleDefinitionIds: [randomGuid] }, /built-in role/],
    ["customerId", { customerId: "00000000-0000-0000-0000-000000000000" }, /nil GUID/],
    ["displayName", { displayName: "   " }, /only whitespace/],
    ["displayName", { displayName: "Contoso \u202Eenilesab" }, /bidirectional/],
    ["displayName", { displayName: "Contoso\u200Bbaseline" }, /zero-width/],
    ["displayName", { displayName: "😀".repeat(26) }, /50 UTF-16 code units.*not 52/],
    ["customerDisplayName", { customerDisplayName: "x".repeat(10_000) }, /at most 256 characters/],
  ])("names %s and the rule", (property, change, reason) => {
    expect(failuresOf(change)).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });

  it("says 2,000 made-up roles in one message, and keeps what Graph documents as valid", () => {
    const many = Array.from({ length: 2000 }, (_, i) => `${String(i).padStart(8, "0")}-6d2e-4f8a-9b0c-1d2e3f4a5b6c`);
    expect(failuresOf({ roleDefinitionIds: many })).toEqual([{ property: "roleDefinitionIds", reason: expect.stringMatching(/at most \d+ roles/) }]);
    // Roles from Graph's own examples (Dynamics 365 Administrator, Azure DevOps Administrator), a 50-unit name, emoji within it.
    expect(failuresOf({ roleDefinitionIds: ["44367163-eba1-44c3-98af-f5787879f96a", "e3973bdf-4987-49ae-837a-ba8e231c7286"] })).toEqual([]);
    expect(failuresOf({ displayName: "😀".repeat(25) })).toEqual([]);
    expect(failuresOf({ displayName: "Contoso – Ünïcödé admin (GDAP) 2026" })).toEqual([]);
  });
});
