/**
 * Objects in a customer the partner can no longer reach. Once a customer ends its GDAP relationship
 * (or it expires), Partner Center refuses every call there with 403: what this stack made there
 * (users, consents, role memberships) can be neither read nor deleted by the partner, and it is the
 * customer's now. A read refused so keeps the recorded state (the caller warns); a delete refused so
 * fails with the one command that drops all of that customer's objects from the state, and with that
 * customer in `forgetCustomers` it drops the object, leaves it in the tenant and says so.
 */
import { customerIdList } from "../config";
import { isPartnerCenterError, PartnerCenterError } from "../errors";
import { context, warn } from "./runtime";

export const refusedAccess = (err: unknown): err is PartnerCenterError => isPartnerCenterError(err) && err.statusCode === 403;

/** The command that drops a left customer's objects from the state (README "Offboarding a customer"). */
export const forgetCommand = (customerId: string) => `PARTNERCENTER_FORGET_CUSTOMERS=${customerId} pulumi destroy --yes`;

export async function deleteInCustomer(customerId: string, what: string, remove: () => Promise<void>): Promise<void> {
  try {
    await remove();
  } catch (err) {
    if (!refusedAccess(err)) throw err;
    if (customerIdList(context().config.forgetCustomers).includes(customerId.toLowerCase())) {
      warn(
        `dropped ${what} from the state without deleting it: customer ${customerId} is in forgetCustomers and Partner Center refused the delete (403). It stays in the customer's tenant.`,
      );
      return;
    }
    throw new PartnerCenterError(
      { operation: `delete ${what}`, customerId, statusCode: 403, service: err.service, serviceCode: err.serviceCode, cause: err },
      `Could not delete ${what}: the partner can no longer act in customer ${customerId} (Partner Center answered 403${err.serviceMessage ? `: "${err.serviceMessage}"` : ""}); its GDAP relationship has ended, or lacks the role. Nothing was deleted. If the customer has left, drop every object of this stack in that customer from the state, leaving them in the customer's tenant, with one command: \`${forgetCommand(customerId)}\` (the same variable with \`pulumi up\` when only that customer was taken out of the program; README "Offboarding a customer").`,
    );
  }
}
