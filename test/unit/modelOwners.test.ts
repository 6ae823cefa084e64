/**
 * The model-based test's rules of shared ownership (test/reliability/model/owners.ts), on states as
 * `pulumi stack export` writes them: an object in two stacks' states is a second owner unless one of
 * them adopted it, and only an adopted share lets one stack's run delete what the other declares.
 */
import { heldUnshared, secondOwners, sharedOwnersAfterRun } from "../reliability/model/owners";

const customerId = "6f0c3c1e-7c1d-4a51-9f43-0a7f2b3c4d5e";
const res = (type: string, name: string, id: string, outputs: Record<string, unknown>, adopt = false) => ({
  urn: `urn:pulumi:q-a::partnercenter-model::partnercenter:index:${type}::${name}`,
  type: `partnercenter:index:${type}`,
  id,
  inputs: { ...outputs, adopt },
  outputs: { ...outputs, adopt },
});
/** One object of each kind the model declares, as a stack's state holds it. */
const objects = (adopt: boolean) => [
  res("CustomerUser", "user-1", "u1", { customerId, userPrincipalName: "ada.model@c0.example" }, adopt),
  res("ApplicationConsent", "consent-c0", `${customerId}/app`, { customerId }, adopt),
  res("DelegatedAdminRelationship", "rel-c0", "r1", { customerId }, adopt),
  res("DelegatedAdminAccessAssignment", "access-c0-g0", "r1/a1", { relationshipId: "r1", accessAssignmentId: "a1" }, adopt),
  res("CustomerUserRoleAssignment", "member-1", `${customerId}/ROLE/u1`, { customerId, roleId: "ROLE", userId: "U1" }, adopt),
];

describe("shared ownership in the model-based test", () => {
  it("finds each kind in both stacks' states a second owner unless one of the stacks adopted it", () => {
    expect(secondOwners([{ resources: objects(false) }, { resources: objects(false) }])).toHaveLength(5);
    expect(secondOwners([{ resources: objects(false) }, { resources: objects(true) }])).toEqual([]);
    expect(secondOwners([{ resources: objects(true) }, { resources: objects(false) }])).toEqual([]);
    expect(secondOwners([{ resources: objects(false) }, { resources: [] }])).toEqual([]);
  });

  it("lets a run delete what the other stack declares only when the two shared it by adoption", () => {
    const alone = res("DelegatedAdminRelationship", "rel-c1", "r2", { customerId });
    const theirs = { resources: [...objects(false), alone] };
    // A run of stack A (index 0) may delete nothing of B's when A shares nothing, or shares without adopt.
    expect(heldUnshared([{ resources: [] }, theirs], 0, 1)).toEqual(theirs.resources);
    expect(heldUnshared([{ resources: objects(false) }, theirs], 0, 1)).toEqual(theirs.resources);
    // Adopted by either stack: the five shared objects are A's to delete too; B's own relationship is not.
    expect(heldUnshared([{ resources: objects(true) }, theirs], 0, 1)).toEqual([alone]);
  });

  it("counts the other owner drifted after a run that changed what the two share, and each new adoption once", () => {
    const w = { drifted: new Set<number>(), exercised: {} as Record<string, number>, count: (k: string) => (w.exercised[k] = (w.exercised[k] ?? 0) + 1) };
    sharedOwnersAfterRun(w, 1, [{ resources: objects(false) }, { resources: [] }], [{ resources: objects(false) }, { resources: objects(true) }]);
    expect([...w.drifted]).toEqual([0]);
    expect(w.exercised).toEqual({
      "adopted user": 1,
      "adopted consent": 1,
      "adopted relationship": 1,
      "adopted access assignment": 1,
      "adopted membership": 1,
    });
    w.drifted.clear();
    sharedOwnersAfterRun(w, 1, [{ resources: [] }, { resources: [] }], [{ resources: [] }, { resources: objects(true) }]);
    expect([...w.drifted]).toEqual([]);
  });
});
