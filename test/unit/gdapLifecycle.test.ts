/**
 * The relationship's lifecycle as Graph's pages allow it, decided by the provider against a fake
 * Graph: names compared and never reused, a role change rolled out in two steps, what a delete may
 * do while approval is pending, and autoExtendDuration only while created or active.
 */
import { builtInRoles } from "../../provider/clients/builtInRoles";
import type { DelegatedAdminRelationship } from "../../provider/clients/gdapSchemas";
import type { ServiceContext } from "../../provider/context";
import { delegatedAdminRelationshipProvider as provider } from "../../provider/resources/delegatedAdminRelationship";
import { relationshipInputsSchema, type RelationshipInputs, type RelationshipOutputs } from "../../provider/resources/gdapInputs";
import { validate } from "../../provider/resources/inputs";
import { createRequestIdKey } from "../../provider/resources/createRequestIdKey";
import * as runtime from "../../provider/resources/runtime";

const customerId = "6fc468f5-b399-4e05-a6f1-da8a33da9a6c";
const userAdmin = builtInRoles["User Administrator"];
const reader = builtInRoles["Global Reader"];
const declared = (args: Record<string, unknown>): RelationshipInputs =>
  ({
    ...validate(relationshipInputsSchema, { customerId, roleDefinitionIds: [userAdmin], ...args }).inputs!,
    [createRequestIdKey]: `req-${Math.random()}`,
  }) as RelationshipInputs;

/** A Graph that keeps relationships and records what the provider sent. */
function fakeGraph(adoptMatching = false) {
  const rows = new Map<string, DelegatedAdminRelationship>();
  const sent: string[] = [];
  const warnings: string[] = [];
  let n = 0;
  const put = (r: Partial<DelegatedAdminRelationship> & { displayName: string; status: string }) => {
    const id = r.id ?? `rel-${++n}`;
    const full = {
      id,
      duration: "P730D",
      autoExtendDuration: "PT0S",
      customer: { tenantId: customerId },
      accessDetails: { unifiedRoles: [{ roleDefinitionId: userAdmin }] },
      createdDateTime: "2026-01-01T00:00:00Z",
      ...r,
    } as DelegatedAdminRelationship;
    rows.set(id, full);
    return full;
  };
  const gdap = {
    listRelationships: async (f: { displayName?: string }) => [...rows.values()].filter((r) => r.displayName.toLowerCase() === f.displayName?.toLowerCase()),
    getRelationship: async (id: string) => rows.get(id),
    createRelationship: async (body: any) => {
      sent.push(`POST ${body.displayName}`);
      return put({ displayName: body.displayName, status: "created", accessDetails: body.accessDetails, duration: body.duration });
    },
    updateRelationship: async (id: string, _etag: string, patch: any) => {
      sent.push(`PATCH ${id} ${Object.keys(patch).join(",")}`);
      return put({ ...rows.get(id)!, ...patch });
    },
    requestAction: async (id: string, action: string) => {
      sent.push(`${action} ${id}`);
      put({ ...rows.get(id)!, status: action === "terminate" ? "terminationRequested" : "approvalPending" });
    },
    deleteRelationship: async (id: string) => {
      sent.push(`DELETE ${id}`);
      rows.delete(id);
    },
  };
  jest.spyOn(runtime, "context").mockReturnValue({ gdap, config: { adoptMatching } } as unknown as ServiceContext);
  jest.spyOn(runtime, "warn").mockImplementation((m) => void warnings.push(m));
  return { rows, sent, warnings, put };
}

afterEach(() => jest.restoreAllMocks());

describe("DelegatedAdminRelationship lifecycle", () => {
  it("adopts a relationship whose name differs only in case, as Graph compares names, and never replaces it for that case", async () => {
    const g = fakeGraph(true);
    const theirs = g.put({ displayName: "Case Twin", status: "active" });
    const news = declared({ displayName: "case twin" });
    const { id, outs } = await provider.create(news);
    expect(id).toBe(theirs.id);
    expect(outs).toMatchObject({ displayName: "case twin", serviceDisplayName: "Case Twin" });
    expect(g.warnings.join("\n")).toMatch(/took over .*'Case Twin'.*the program's 'case twin', as Graph compares names: ignoring case/);
    expect(await provider.diff(id, outs, declared({ displayName: "case twin" }))).toMatchObject({ changes: false, replaces: [] });
    // Even a change of case in the program is no new name on Graph: recorded, not a replacement.
    const recased = await provider.diff(id, outs, declared({ displayName: "CASE TWIN" }));
    expect(recased).toMatchObject({ changes: true, replaces: [] });
    expect(g.sent).toEqual([]);
  });

  it("rolls a role change of an active relationship out in two steps: the new one first, the old one ended only once the new one is active", async () => {
    const g = fakeGraph();
    const old = g.put({ displayName: "Helpdesk", status: "active" });
    const olds = {
      ...declared({ displayName: "Helpdesk" }),
      status: "active",
      approvalUrl: "",
      serviceDisplayName: "Helpdesk",
      successor: null,
    } as RelationshipOutputs;
    const news = declared({ displayName: "Helpdesk", roleDefinitionIds: [userAdmin, reader] });
    // Step 1: an update that requests the successor under a name Graph has not seen; the old one stays.
    expect(await provider.diff(old.id, olds, news)).toMatchObject({ changes: true, replaces: [] });
    const { outs } = await provider.update(old.id, olds, news);
    expect(g.sent).toEqual(["POST Helpdesk (2)", "lockForApproval rel-2"]);
    expect(outs).toMatchObject({
      status: "active",
      roleDefinitionIds: [userAdmin],
      successor: { id: "rel-2", status: "approvalPending", serviceDisplayName: "Helpdesk (2)" },
    });
    expect(g.warnings.join("\n")).toMatch(
      /'Helpdesk' \(rel-1\) stays, with its roles and access assignments; the `pulumi up --refresh` after the approval switches/,
    );
    // In between: nothing to do, and a warning that says what waits.
    expect(await provider.diff(old.id, outs, { ...news, [createRequestIdKey]: "again" } as RelationshipInputs)).toMatchObject({ changes: false });
    expect(g.warnings.at(-1)).toMatch(/keeps its roles until the customer approves 'Helpdesk \(2\)'/);
    // Step 2, after the approval and a refresh: a replacement that takes the successor and ends the old one.
    g.put({ ...g.rows.get("rel-2")!, status: "active" });
    const refreshed = (await provider.read(old.id, outs)).props as RelationshipOutputs;
    const step2 = { ...news, [createRequestIdKey]: "switch" } as RelationshipInputs;
    expect(await provider.diff(old.id, refreshed, step2)).toMatchObject({ changes: true, replaces: ["roleDefinitionIds"], deleteBeforeReplace: false });
    const made = await provider.create(step2);
    expect(made).toMatchObject({ id: "rel-2", outs: { roleDefinitionIds: [userAdmin, reader], successor: null, displayName: "Helpdesk" } });
    await provider.delete(old.id, refreshed);
    expect(g.sent.slice(2)).toEqual(["terminate rel-1"]);
    expect(g.rows.get("rel-2")!.status).toBe("active");
  });

  it("replaces a relationship awaiting approval under a new name, and leaves the old one (Graph deletes only created ones) with a warning naming it", async () => {
    const g = fakeGraph();
    const old = g.put({ displayName: "Pending", status: "approvalPending" });
    const olds = { ...declared({ displayName: "Pending" }), status: "approvalPending", approvalUrl: "", serviceDisplayName: "Pending" } as RelationshipOutputs;
    const news = declared({ displayName: "Pending", duration: "P365D" });
    expect(await provider.diff(old.id, olds, news)).toMatchObject({ replaces: ["duration"], deleteBeforeReplace: false });
    const made = await provider.create(news);
    expect(made.outs).toMatchObject({ displayName: "Pending", serviceDisplayName: "Pending (2)", status: "approvalPending" });
    await provider.delete(old.id, olds);
    expect(g.sent).toEqual(["POST Pending (2)", "lockForApproval rel-2"]);
    expect(g.warnings.at(-1)).toMatch(
      /'Pending' \(rel-1\) awaits the customer's approval and stays on Graph, which deletes only relationships in status created.*expires unapproved/,
    );
  });

  it("keeps a change of autoExtendDuration pending while approval is pending, and PATCHes it once active", async () => {
    const g = fakeGraph();
    const r = g.put({ displayName: "Extend", status: "approvalPending" });
    const olds = { ...declared({ displayName: "Extend" }), status: "approvalPending", approvalUrl: "" } as RelationshipOutputs;
    const news = declared({ displayName: "Extend", autoExtendDuration: "P180D" });
    const pending = await provider.update(r.id, olds, news);
    expect(g.sent).toEqual([]);
    expect(pending.outs.autoExtendDuration).toBe("PT0S");
    expect(g.warnings.at(-1)).toMatch(
      /autoExtendDuration .* stays PT0S for now: Graph changes it only while a relationship is created or active, and this one is approvalPending/,
    );
    expect(await provider.diff(r.id, pending.outs, news)).toMatchObject({ changes: true, replaces: [] });
    g.put({ ...r, status: "active" });
    const applied = await provider.update(r.id, pending.outs, news);
    expect(g.sent).toEqual([`PATCH ${r.id} autoExtendDuration`]);
    expect(applied.outs.autoExtendDuration).toBe("P180D");
  });

  it("creates under a numbered name when the program's name belongs to an ended relationship (Graph never reuses a name)", async () => {
    const g = fakeGraph();
    g.put({ displayName: "Again", status: "terminated" });
    g.put({ displayName: "Again (2)", status: "expired" });
    g.put({ displayName: "Ending", status: "terminationRequested" });
    expect((await provider.create(declared({ displayName: "again" }))).outs).toMatchObject({ displayName: "again", serviceDisplayName: "again (3)" });
    // A relationship on its way to terminated is not live: it is not taken, only its name is.
    expect((await provider.create(declared({ displayName: "Ending" }))).outs).toMatchObject({ serviceDisplayName: "Ending (2)" });
    // Cut to Graph's 50 UTF-16 units without splitting an emoji's surrogate pair.
    const long = `${"x".repeat(45)}\u{1F600}yyy`;
    g.put({ displayName: long, status: "expired" });
    expect((await provider.create(declared({ displayName: long }))).outs.serviceDisplayName).toBe(`${"x".repeat(45)} (2)`);
  });
});
