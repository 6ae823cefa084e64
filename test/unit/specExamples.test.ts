/** The literal response examples of Microsoft's pages parse with the schemas the clients use. */
import {
  customerUserSchema,
  delegatedAdminCustomerPageSchema,
  multiTenantOrganizationMemberSchema,
  organizationResponseSchema,
} from "../../provider/clients/schemas";
import { errorFromResponse } from "../../provider/errors";
import * as spec from "../emulator/fixtures/specExamples";

describe("the spec pages' examples", () => {
  it("parse as a customer user, an organization, delegated-admin customers and multitenant organization members", () => {
    expect(customerUserSchema.parse(JSON.parse(spec.createCustomerUserResponse))).toMatchObject({ state: "active", userDomainType: "none" });
    expect(organizationResponseSchema.parse(JSON.parse(spec.customerOrganizationResponse))[0].displayName).toBe("Contoso");
    const page = delegatedAdminCustomerPageSchema.parse(JSON.parse(spec.delegatedAdminCustomersResponse));
    expect(page.value.map((c) => c.dapEnabled)).toEqual([false, true]);
    for (const member of spec.mtoMemberResponses) {
      expect(multiTenantOrganizationMemberSchema.parse(JSON.parse(member)).tenantId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("read both of Partner Center's error shapes", () => {
    const notFound = errorFromResponse({
      operation: "read user x",
      service: "Partner Center",
      statusCode: 404,
      body: spec.partnerCenterErrorExample,
      customerId: "c",
    });
    expect(notFound).toMatchObject({ serviceCode: "60002", serviceMessage: "User object Id is not found", retryable: false });
    const throttled = errorFromResponse({
      operation: "consent",
      service: "Partner Center",
      statusCode: 429,
      body: spec.throttledExample,
      retryAfterSeconds: 57,
    });
    expect(throttled).toMatchObject({ serviceMessage: "Rate limit is exceeded. Try again in 57 seconds.", retryable: true, retryAfterSeconds: 57 });
  });
});
