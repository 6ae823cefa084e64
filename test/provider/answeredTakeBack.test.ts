/**
 * An answered create that the state never recorded (a CLI killed with PULUMI_SKIP_CHECKPOINTS=true:
 * the engine writes state only at the end) is taken back by the next run's create of the same object
 * through the object's id, as the journal recorded it from the answer: no create is sent again, since
 * Partner Center's contract takes a new MS-RequestId after any response (../shared/spec/CONTRACT.md),
 * so a resent one may not be deduplicated. Every type, through the providers' own create against the
 * emulator; a "next run" is a fresh journal state in this process (what a new provider process reads).
 * An object deleted since is made anew, once.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type AdminClient } from "../../emulator";
import type { LoggedRequest } from "../../emulator/observability/requestLog";
import { builtInRoles } from "../../provider/clients/builtInRoles";
import { applicationConsentProvider } from "../../provider/resources/applicationConsent";
import { customerUserProvider } from "../../provider/resources/customerUser";
import { customerUserRoleAssignmentProvider } from "../../provider/resources/customerUserRoleAssignment";
import { delegatedAdminAccessAssignmentProvider } from "../../provider/resources/delegatedAdminAccessAssignment";
import { delegatedAdminRelationshipProvider } from "../../provider/resources/delegatedAdminRelationship";
import { journalDir, resetJournalForTests } from "../../provider/resources/journal";
import { setRunningStackForTests } from "../../provider/resources/runningStack";
import { consentsOf, usersOf } from "../support/inventory";
import { partnerCenterConfig } from "../support/stackConfig";

const running = { project: "takeback", stack: "dev" };
const roles = [builtInRoles["User Administrator"]];
const userAdmins = "1b7b0e7a-6c0d-4d6e-9d4b-2f3c1a9e5b01";

describe("an answered create the state never recorded, taken back by its id", () => {
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  let admin: AdminClient;
  let customer: { id: string; domain: string };
  let home: string;
  const savedHome = process.env.PULUMI_HOME;
  let warnings: string[] = [];
  let stderr: jest.SpyInstance;

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "pc-takeback-"));
    process.env.PULUMI_HOME = home;
    setRunningStackForTests(running);
    emu = await startEmulator();
    admin = emu.admin;
    const c = ((await admin.inventory()).customers as any[]).find((x) => x.gdapRoles.includes("Global Administrator"));
    customer = { id: c.id, domain: c.domains.find((d: any) => !d.federated).name };
    const config = partnerCenterConfig(emu);
    await customerUserProvider.configure({ config: { get: (key: string) => config[key]?.value } });
  });

  beforeEach(() => {
    warnings = [];
    stderr = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => (warnings.push(String(chunk)), true));
  });
  afterEach(() => stderr.mockRestore());

  afterAll(async () => {
    await emu?.stop();
    process.env.PULUMI_HOME = savedHome;
    if (savedHome === undefined) delete process.env.PULUMI_HOME;
    fs.rmSync(home, { recursive: true, force: true });
  });

  /** A provider process of a new run: it reads the journal afresh. */
  const nextRun = () => resetJournalForTests(async () => []);
  const entries = () => {
    const dir = journalDir(running);
    return fs.existsSync(dir) ? fs.readdirSync(dir).map((n) => JSON.parse(fs.readFileSync(path.join(dir, n), "utf8"))) : [];
  };
  /** What the next create sends, after a run whose create answered and whose state was lost. */
  async function againAfterLostState<T>(create: () => Promise<T>): Promise<{ result: T; writes: LoggedRequest[] }> {
    nextRun();
    await admin.call("DELETE", "/requests");
    const result = await create();
    const { requests } = await admin.call<{ requests: LoggedRequest[] }>("GET", "/requests");
    return { result, writes: requests.filter((r) => r.method !== "GET") };
  }
  const takenBack = (id: string) =>
    expect(warnings.join("")).toContain(`had answered it with id ${id}, which that run's state never recorded, so nothing was sent again`);

  it("CustomerUser: reads the user by its id and sends no POST; one deleted since is restored, not duplicated", async () => {
    const news = {
      customerId: customer.id,
      userPrincipalName: `takeback@${customer.domain}`,
      displayName: "Take Back",
      usageLocation: "US",
      password: "TakeBack-Passw0rd!",
    };
    const check = async () => (await customerUserProvider.check(undefined, news)).inputs as any;
    nextRun();
    const first = await customerUserProvider.create(await check());
    expect(entries()).toEqual([expect.objectContaining({ kind: "CustomerUser", answeredId: first.id })]);

    const { result, writes } = await againAfterLostState(async () => customerUserProvider.create(await check()));
    expect(result.id).toBe(first.id);
    expect(writes).toEqual([]);
    takenBack(first.id);
    expect(usersOf(await admin.inventory(), customer.id).filter((u: any) => u.userPrincipalName === news.userPrincipalName)).toHaveLength(1);

    // Soft-deleted since: not taken from the answer; the create restores it (no second user with that UPN).
    await admin.call("DELETE", `/customers/${customer.id}/users/${first.id}?mode=soft`);
    const gone = await againAfterLostState(async () => customerUserProvider.create(await check()));
    expect(warnings.join("")).toContain(`had answered with id ${first.id}, but the service no longer holds it (deleted since): it is created anew`);
    expect(gone.result.id).toBe(first.id);
    // (This process read the directory before the user existed, so its POST finds the UPN taken first: no user is made.)
    expect(gone.writes.filter((w) => w.method === "POST" && /\/users$/.test(w.path) && w.status === 201)).toEqual([]);
    const same = usersOf(await admin.inventory(), customer.id).filter((u: any) => u.userPrincipalName === news.userPrincipalName);
    expect(same.map((u: any) => u.state)).toEqual(["active"]);
  });

  it("ApplicationConsent: finds the consent in the customer tenant and sends no POST; one deleted since is made anew with a new MS-RequestId", async () => {
    const applicationId = emu.credentials.controlPanelApplicationId;
    const news = {
      customerId: customer.id,
      applicationId,
      displayName: "Take Back Control Panel",
      grants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scopes: ["User.Read.All"] }],
    };
    const check = async () => (await applicationConsentProvider.check(undefined, news)).inputs as any;
    nextRun();
    const firstInputs = await check();
    const first = await applicationConsentProvider.create(firstInputs);
    const { result, writes } = await againAfterLostState(async () => applicationConsentProvider.create(await check()));
    expect(result.id).toBe(first.id);
    expect(writes).toEqual([]);
    takenBack(first.id);

    await applicationConsentProvider.delete(first.id, first.outs);
    const gone = await againAfterLostState(async () => applicationConsentProvider.create(await check()));
    expect(gone.result.id).toBe(first.id);
    const posts = gone.writes.filter((w) => w.method === "POST");
    expect(posts).toHaveLength(1);
    expect(posts[0].requestId).not.toBe(firstInputs.__createRequestId);
    expect(consentsOf(await admin.inventory(), customer.id).filter((c: any) => c.applicationId === applicationId)).toHaveLength(1);
  });

  it("GDAP relationship, access assignment and role membership: each read by its id, nothing sent again", async () => {
    const relNews = { displayName: "takeback-rel", customerId: customer.id, duration: "P30D", roleDefinitionIds: roles };
    const relCheck = async () => (await delegatedAdminRelationshipProvider.check(undefined, relNews)).inputs as any;
    nextRun();
    const rel = await delegatedAdminRelationshipProvider.create(await relCheck());
    const relAgain = await againAfterLostState(async () => delegatedAdminRelationshipProvider.create(await relCheck()));
    expect(relAgain.result.id).toBe(rel.id);
    expect(relAgain.writes).toEqual([]);
    takenBack(rel.id);
    expect(((await admin.call("GET", "/delegatedAdminRelationships")).relationships as any[]).filter((r) => r.displayName === "takeback-rel")).toHaveLength(1);

    await admin.call("POST", `/delegatedAdminRelationships/${rel.id}/approve`);
    const accessNews = { relationshipId: rel.id, securityGroupId: userAdmins, roleDefinitionIds: roles };
    const accessCheck = async () => (await delegatedAdminAccessAssignmentProvider.check(undefined, accessNews)).inputs as any;
    nextRun();
    const access = await delegatedAdminAccessAssignmentProvider.create(await accessCheck());
    const accessAgain = await againAfterLostState(async () => delegatedAdminAccessAssignmentProvider.create(await accessCheck()));
    expect(accessAgain.result.id).toBe(access.id);
    expect(accessAgain.writes).toEqual([]);
    takenBack(access.id);

    const user = await customerUserProvider.create(
      (
        await customerUserProvider.check(undefined, {
          customerId: customer.id,
          userPrincipalName: `takeback.member@${customer.domain}`,
          displayName: "Take Back Member",
          usageLocation: "US",
          password: "TakeBack-Passw0rd!",
        })
      ).inputs as any,
    );
    const memberNews = { customerId: customer.id, userId: user.id, roleName: "Global Reader" };
    const memberCheck = async () => (await customerUserRoleAssignmentProvider.check(undefined, memberNews)).inputs as any;
    nextRun();
    const member = await customerUserRoleAssignmentProvider.create(await memberCheck());
    const memberAgain = await againAfterLostState(async () => customerUserRoleAssignmentProvider.create(await memberCheck()));
    expect(memberAgain.result.id).toBe(member.id);
    expect(memberAgain.writes).toEqual([]);
    takenBack(member.id);
  });
});
