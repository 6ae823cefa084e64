import { builtInRoleName, builtInRoles } from "../../provider/clients/builtInRoles";
import { guidPath } from "../../provider/clients/path";
import { delegatedAdminRelationshipProvider as relationship } from "../../provider/resources/delegatedAdminRelationship";
import { accessAssignmentInputsSchema, relationshipInputsSchema, roleAssignmentInputsSchema } from "../../provider/resources/gdapInputs";
import { validate } from "../../provider/resources/inputs";

const customerId = "6fc468f5-b399-4e05-a6f1-da8a33da9a6c";
const relationshipId = "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836";
const base = { displayName: "Contoso baseline", customerId, roleDefinitionIds: [builtInRoles["User Administrator"]] };

describe("GDAP inputs", () => {
  it("defaults a relationship to two years, no auto-extension, locked for approval", () => {
    const { inputs, failures } = validate(relationshipInputsSchema, base);
    expect(failures).toEqual([]);
    expect(inputs).toMatchObject({ duration: "P730D", autoExtendDuration: "PT0S", lockForApproval: true, adopt: false });
  });

  it.each([
    ["duration", { duration: "P731D" }, /P1D and P730D/],
    ["duration", { duration: "P2Y" }, /in days, like P730D/],
    ["displayName", { displayName: "x".repeat(51) }, /at most 50/],
    ["roleDefinitionIds", { roleDefinitionIds: [] }, /at least one role/],
    ["roleDefinitionIds", { roleDefinitionIds: [builtInRoles["Global Reader"], builtInRoles["Global Reader"].toUpperCase()] }, /must not repeat/],
    ["roleDefinitionIds[0]", { roleDefinitionIds: ["Global Administrator"] }, /GUID/],
    ["autoExtendDuration", { autoExtendDuration: "P90D" }, /P180D .* or PT0S/],
    ["autoExtendDuration", { autoExtendDuration: "P180D", roleDefinitionIds: [builtInRoles["Global Administrator"]] }, /Global Administrator/],
  ])("names %s when it is bad", (field, change, reason) => {
    const { failures } = validate(relationshipInputsSchema, { ...base, ...change });
    expect(failures).toEqual([expect.objectContaining({ property: field, reason: expect.stringMatching(reason) })]);
  });

  it("takes relationship ids of one or two GUIDs for assignments, and nothing else", () => {
    const ok = (id: string) =>
      validate(accessAssignmentInputsSchema, { relationshipId: id, securityGroupId: customerId, roleDefinitionIds: [builtInRoles["User Administrator"]] })
        .failures.length === 0;
    expect(ok(relationshipId)).toBe(true);
    expect(ok(customerId)).toBe(true);
    expect(ok(`${relationshipId}/../x`)).toBe(false);
    expect(guidPath`tenantRelationships/delegatedAdminRelationships/${{ relationshipId }}`).toBe(
      `tenantRelationships/delegatedAdminRelationships/${relationshipId}`,
    );
    expect(() => guidPath`x/${{ relationshipId: "a/../b" }}`).toThrow(/relationshipId must be a GDAP relationship id/);
  });

  it("wants exactly one of roleId and roleName for a role membership", () => {
    const member = { customerId, userId: customerId };
    expect(validate(roleAssignmentInputsSchema, { ...member, roleName: "Global Administrator" }).failures).toEqual([]);
    expect(validate(roleAssignmentInputsSchema, member).failures[0].reason).toMatch(/exactly one of roleId and roleName/);
    expect(validate(roleAssignmentInputsSchema, { ...member, roleName: "x", roleId: customerId }).failures[0].reason).toMatch(/exactly one/);
  });

  it("knows the built-in roles by id, whatever the case", () => {
    expect(builtInRoleName(builtInRoles["Privileged Role Administrator"].toUpperCase())).toBe("Privileged Role Administrator");
    expect(builtInRoleName(customerId)).toBeUndefined();
  });
});

describe("DelegatedAdminRelationship diff", () => {
  const inputs = validate(relationshipInputsSchema, base).inputs!;
  const olds = (status: string) => ({ ...inputs, status, approvalUrl: "" });

  it("updates in place while created, replaces once locked (the new one first), and rolls an active one out through an update", async () => {
    const news = { ...inputs, duration: "P365D", roleDefinitionIds: [...inputs.roleDefinitionIds, builtInRoles["Global Reader"]] };
    expect(await relationship.diff("id", olds("created"), news)).toMatchObject({ changes: true, replaces: [] });
    expect(await relationship.diff("id", olds("approvalPending"), news)).toMatchObject({
      changes: true,
      replaces: ["duration", "roleDefinitionIds"],
      deleteBeforeReplace: false,
    });
    expect(await relationship.diff("id", olds("active"), news)).toMatchObject({ changes: true, replaces: [] });
  });

  it("changes auto-extension in place at any time and ignores the order of roles", async () => {
    expect(await relationship.diff("id", olds("active"), { ...inputs, autoExtendDuration: "P180D" })).toMatchObject({ changes: true, replaces: [] });
    const two = { ...inputs, roleDefinitionIds: [builtInRoles["Global Reader"], builtInRoles["User Administrator"]] };
    expect(
      await relationship.diff("id", { ...two, status: "active", approvalUrl: "", roleDefinitionIds: [...two.roleDefinitionIds].reverse() }, two),
    ).toMatchObject({ changes: false });
  });

  it("replaces a relationship that has ended: the program still declares one", async () => {
    for (const status of ["expired", "terminated"]) {
      expect(await relationship.diff("id", olds(status), inputs)).toMatchObject({ changes: true, replaces: ["status"] });
    }
    expect(await relationship.diff("id", olds("approvalPending"), inputs)).toMatchObject({ changes: false });
  });
});
