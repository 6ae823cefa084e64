import * as pulumi from "@pulumi/pulumi";
import * as partnercenter from "pulumi-partnercenter";

const config = new pulumi.Config();
const mode = config.get("mode") ?? "good";

if (mode === "good") {
  const customers = partnercenter.getDelegatedAdminCustomersOutput({
    filter: config.require("filter"),
    orderBy: "organizationDisplayName",
    select: ["customerTenantId", "organizationDisplayName", "dapEnabled"],
  });
  module.exports.customerNames = customers.customers.apply((cs) => cs.map((c) => c.organizationDisplayName));
  module.exports.organization = partnercenter.getCustomerOrganizationOutput({ customerId: config.require("customerId") });
  module.exports.member = partnercenter.getMultiTenantOrganizationMemberOutput({ tenantId: config.require("memberTenantId") });
  module.exports.memberNames = partnercenter.getMultiTenantOrganizationMembersOutput({ select: ["tenantId", "displayName"] }).members;
} else if (mode === "bad-filter") {
  module.exports.customers = partnercenter.getDelegatedAdminCustomersOutput({ filter: "organizationDisplayName eq 'x' or secret eq 1" });
} else if (mode === "stranger-domains") {
  // A GDAP data source that fails: the program's error must read as one sentence, not a stack.
  module.exports.domains = partnercenter.getCustomerDomainsOutput({ customerId: "11111111-2222-3333-4444-555555555555" });
} else if (mode === "not-a-member") {
  module.exports.member = partnercenter.getMultiTenantOrganizationMemberOutput({ tenantId: "11111111-2222-3333-4444-555555555555" });
}
