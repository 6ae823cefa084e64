/**
 * What a CustomerUser create costs the service, through the provider's own create against the
 * emulator: the customer's directory is read once per run, however many users the run creates there,
 * so a create is one POST in the common case and its cost does not grow with the tenant's size.
 * Soft-deleted users are still restored, never duplicated.
 */
import { startEmulator, type AdminClient } from "../../emulator";
import { readDefaultSeed } from "../../emulator/seed/load";
import { customerUserProvider } from "../../provider/resources/customerUser";
import { customerOf } from "../support/inventory";
import { partnerCenterConfig } from "../support/stackConfig";

describe("CustomerUser create against a large tenant", () => {
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  let admin: AdminClient;
  let customer: { id: string; domain: string };

  beforeAll(async () => {
    const seed = readDefaultSeed() as any;
    const c = seed.customers[0];
    const domain: string = c.domains.find((d: any) => !d.federated).name;
    // 1,200 users: three pages of 500 for every listing.
    c.users = [
      ...(c.users ?? []),
      ...Array.from({ length: 1200 }, (_, i) => ({
        id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
        userPrincipalName: `bulk${i}@${domain}`,
        displayName: `Bulk ${i}`,
        usageLocation: "US",
      })),
    ];
    emu = await startEmulator({ seed, limits: { users: null } as any });
    admin = emu.admin;
    customer = { id: c.id, domain };
    const config = partnerCenterConfig(emu);
    await customerUserProvider.configure({ config: { get: (key: string) => config[key]?.value } });
  });

  afterAll(async () => {
    await emu?.stop();
  });

  const inputs = (alias: string) => ({
    customerId: customer.id,
    userPrincipalName: `${alias}@${customer.domain}`,
    displayName: alias,
    usageLocation: "US",
    password: "Create-Passw0rd!",
    forceChangePassword: true,
    adopt: false,
  });

  it("reads the directory once for all the run's creates in a customer: one POST each after that", async () => {
    await admin.call("DELETE", "/requests");
    const made = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => customerUserProvider.create(inputs(`new${i}`))));
    expect(new Set(made.map((m) => m.id)).size).toBe(6);
    const { requests } = await admin.call<{ requests: { method: string; path: string; group: string }[] }>("GET", "/requests");
    const users = requests.filter((r) => r.group === "users");
    expect(users.filter((r) => r.method === "POST")).toHaveLength(6);
    // Active users: 3 pages of 500; soft-deleted: 1 page. Read once, not once per create (24 before).
    expect(users.filter((r) => r.method === "GET")).toHaveLength(4);
  });

  it("restores a user soft-deleted after the directory was read, instead of creating a second one", async () => {
    const victim = customerOf(await admin.inventory(), customer.id).users.find((u: any) => u.userPrincipalName === `bulk7@${customer.domain}`);
    await admin.call("DELETE", `/customers/${customer.id}/users/${victim.id}?mode=soft`);
    const made = await customerUserProvider.create(inputs("bulk7"));
    expect(made.id).toBe(victim.id);
    const same = customerOf(await admin.inventory(), customer.id).users.filter((u: any) => u.userPrincipalName === `bulk7@${customer.domain}`);
    expect(same.map((u: any) => u.state)).toEqual(["active"]);
  });

  it("says which user it was creating and which GDAP role is missing when the directory cannot be read", async () => {
    // graphicdesigninstitute: the partner holds only Global Reader there.
    const noRole = "7bd001ae-0009-5f8a-b2dc-0736c3ac63fc";
    const err = await customerUserProvider
      .create({ ...inputs("x"), customerId: noRole, userPrincipalName: "x@graphicdesigninstitute.onmicrosoft.com" })
      .catch((e) => e);
    expect(err.message).toMatch(
      /^Could not create user x@graphicdesigninstitute\.onmicrosoft\.com: reading the customer's users failed for customer 7bd001ae-\S+: Partner Center answered 403/,
    );
    expect(err.message).toMatch(/GDAP roles User Administrator, Directory Writers/);
    expect(err.message).not.toMatch(/Could not list the users|refreshToken/);
  });
});
