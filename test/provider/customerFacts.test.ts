/**
 * Preview catches a customerId that is no customer of the partner and a userPrincipalName on another
 * customer's domain: the check reads each customer once per run (read-only calls), names the field,
 * and fails only on a definite answer.
 */
import { startEmulator, type AdminClient } from "../../emulator";
import { customerUserProvider } from "../../provider/resources/customerUser";
import { partnerCenterConfig } from "../support/stackConfig";

const contoso = "0d4e389b-0ab8-5563-abe8-dd9ac0c47a80";
const fabrikam = "5c5a59ec-def0-539c-8986-36777985a6ae";
const stranger = "11111111-2222-3333-4444-555555555555";

describe("check reads the customer once and catches what up would refuse", () => {
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  let admin: AdminClient;

  beforeAll(async () => {
    emu = await startEmulator();
    admin = emu.admin;
    const config = partnerCenterConfig(emu);
    await customerUserProvider.configure({ config: { get: (key: string) => config[key]?.value } });
  });
  afterAll(async () => {
    await emu?.stop();
  });

  const user = (customerId: string, upn: string) => ({
    customerId,
    userPrincipalName: upn,
    displayName: "Facts",
    usageLocation: "US",
    password: "Facts-Passw0rd!",
  });
  it("names customerId and userPrincipalName, accepts every domain of the customer, and reads each customer once", async () => {
    await admin.call("DELETE", "/requests");
    const failures = async (p: Promise<{ failures: { property: string; reason: string }[] }>) => (await p).failures;

    expect(await failures(customerUserProvider.check({}, user(stranger, `a@contoso.onmicrosoft.com`)))).toEqual([
      { property: "customerId", reason: expect.stringContaining(`customerId ${stranger} is not one of the partner's customers`) },
    ]);
    expect(await failures(customerUserProvider.check({}, user(contoso, "b@fabrikam.com")))).toEqual([
      {
        property: "userPrincipalName",
        reason: expect.stringContaining(
          `userPrincipalName b@fabrikam.com is on fabrikam.com, which is not a domain of customer ${contoso} (its domains: contoso.onmicrosoft.com)`,
        ),
      },
    ]);
    // Both of Fabrikam's domains, in any case.
    for (const upn of ["c@fabrikam.onmicrosoft.com", "d@FABRIKAM.com"]) expect(await failures(customerUserProvider.check({}, user(fabrikam, upn)))).toEqual([]);
    // A user already declared with this customer and name is not read again.
    expect(await failures(customerUserProvider.check(user(contoso, "b@fabrikam.com"), user(contoso, "b@fabrikam.com")))).toEqual([]);

    const { requests } = await admin.call<{ requests: { method: string; path: string }[] }>("GET", "/requests?limit=1000");
    const calls = requests.filter((r) => !/oauth2|_emulator/.test(r.path));
    expect(calls.every((r) => r.method === "GET")).toBe(true);
    const count = (re: RegExp) => calls.filter((r) => re.test(r.path)).length;
    expect([stranger, contoso, fabrikam].map((c) => count(new RegExp(`customers/${c}/organization`)))).toEqual([1, 1, 1]);
    expect(count(/\/domains/)).toBe(2); // contoso and fabrikam; none for the stranger
  });

  it("leaves the input alone when the customer cannot be read", async () => {
    // The customer exists but the partner holds no role there: organization answers 403, not 404.
    const relecloud = "95e3668f-22ce-5a12-a19d-9a9de305796a";
    expect((await customerUserProvider.check({}, user(relecloud, "e@elsewhere.example"))).failures.map((f) => f.property)).not.toContain("customerId");
  });
});
