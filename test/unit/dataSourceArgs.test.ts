/**
 * A data source checks its arguments before anything else: a bad one gets the error that names it,
 * with no configuration read (which may fail on its own, e.g. an unknown key) and no token asked for.
 */
import * as pulumi from "@pulumi/pulumi";
import { functions, token } from "../../provider/native/resources";
import * as sdk from "../../sdk";

const bad: [name: string, args: object, field: string][] = [
  ["getCustomerOrganization", { customerId: "acme" }, "customerId"],
  ["getDelegatedAdminCustomers", { top: -1 }, "top"],
  ["getMultiTenantOrganizationMember", { tenantId: "acme" }, "tenantId"],
  ["getMultiTenantOrganizationMembers", { select: ["nope"] }, "select"],
  ["getDelegatedAdminRelationships", { customerId: "acme" }, "customerId"],
  ["getCustomerDomains", { customerId: "" }, "customerId"],
  ["getCustomerDirectoryRoles", {}, "customerId"],
];

describe("data sources with bad arguments", () => {
  it.each(bad)("%s names the argument and reads no configuration", async (name, args, field) => {
    // A store that would fail the configuration check, to show it is never reached.
    pulumi.runtime.setAllConfig({ "partnercenter:nonsense": "x" });
    const read = jest.spyOn(pulumi.runtime, "allConfig");
    const get = jest.spyOn(pulumi.runtime, "getConfig");
    try {
      await expect((sdk as any)[name](args)).rejects.toMatchObject({ name: "PartnerCenterError", message: expect.stringContaining(field) });
      expect(read).not.toHaveBeenCalled();
      expect(get).not.toHaveBeenCalled();
    } finally {
      read.mockRestore();
      get.mockRestore();
    }
  });

  it.each(bad)("the plugin's %s names the argument before asking for its context", async (name, args, field) => {
    const context = jest.fn(() => {
      throw new Error("the context was asked for");
    });
    await expect(functions[token(name)](context, args as never)).rejects.toMatchObject({ message: expect.stringContaining(field) });
    expect(context).not.toHaveBeenCalled();
  });
});
