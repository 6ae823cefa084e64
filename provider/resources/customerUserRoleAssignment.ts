/**
 * The CustomerUserRoleAssignment dynamic provider: a customer user in a directory role through
 * Partner Center (`/v1/customers/{id}/directoryroles/{roleId}/usermembers`). A membership has no
 * fields of its own, so any change replaces it; one found at create time is taken only when told
 * (see adoption.ts). App+User credentials, and Privileged Role Administrator in the customer.
 */
import { isPartnerCenterError, PartnerCenterError } from "../errors";
import { adoptionHint, adoptMatching, causeOf, outcomeUnknown, reportAdoption, unknownOutcomeHint } from "./adoption";
import { checkInputs, RoleAssignmentInputs, roleAssignmentInputsSchema } from "./gdapInputs";
import { configure, context, StackConfig } from "./runtime";

const appUserMessage =
  "CustomerUserRoleAssignment needs App+User credentials: Partner Center accepts only a partner user's token for directory roles. Set partnercenter:refreshToken (pulumi config set --secret partnercenter:refreshToken <token>) or PARTNERCENTER_REFRESH_TOKEN.";

const idOf = (i: RoleAssignmentInputs) => `${i.customerId}/${i.roleId}/${i.userId}`;

async function isMember(i: RoleAssignmentInputs): Promise<boolean> {
  const members = await context().directoryRoles.listMembers(i.customerId, i.roleId);
  return members.some((m) => m.id.toLowerCase() === i.userId.toLowerCase());
}

export const customerUserRoleAssignmentProvider = {
  async configure(req: { config: StackConfig }): Promise<void> {
    configure(req.config);
  },

  async check(_olds: unknown, news: Record<string, unknown>) {
    return checkInputs(roleAssignmentInputsSchema, news, appUserMessage);
  },

  async diff(_id: string, olds: RoleAssignmentInputs, news: RoleAssignmentInputs) {
    const replaces = (["customerId", "roleId", "userId"] as const).filter((k) => olds[k]?.toLowerCase() !== news[k]?.toLowerCase());
    return { changes: replaces.length > 0 || (olds.adopt ?? false) !== (news.adopt ?? false), replaces, deleteBeforeReplace: true };
  },

  async create(inputs: RoleAssignmentInputs): Promise<{ id: string; outs: RoleAssignmentInputs }> {
    const roles = context().directoryRoles;
    const operation = `add user ${inputs.userId} to directory role ${inputs.roleId}`;
    let existed = await isMember(inputs);
    if (!existed) {
      try {
        await roles.addMember(inputs.customerId, inputs.roleId, inputs.userId);
      } catch (err) {
        if (outcomeUnknown(err)) {
          throw new PartnerCenterError({ operation, customerId: inputs.customerId, cause: err }, `Could not ${operation} for customer ${inputs.customerId}: ${causeOf(err)}. ${unknownOutcomeHint("the role membership")}`);
        }
        // Made a member between the read and the POST.
        if (!(isPartnerCenterError(err) && err.statusCode === 409)) throw err;
        existed = true;
      }
    }
    if (existed) {
      // A membership is all there is to match: the recovery flag takes it as it is.
      const reason = inputs.adopt ? "adopt" : adoptMatching() ? "adoptMatching" : undefined;
      if (!reason) {
        throw new PartnerCenterError(
          { operation, customerId: inputs.customerId, statusCode: 409 },
          `Could not ${operation} for customer ${inputs.customerId}: the user already is a member of that role. ${adoptionHint("CustomerUserRoleAssignment")}`,
        );
      }
      reportAdoption(`the membership of user ${inputs.userId} in directory role ${inputs.roleId} of customer ${inputs.customerId}`, reason);
    }
    return { id: idOf(inputs), outs: { ...inputs } };
  },

  async read(id: string, props: RoleAssignmentInputs) {
    if (!(await isMember(props))) return { id: "", props: {} };
    return { id, props, inputs: props };
  },

  async update(_id: string, _olds: RoleAssignmentInputs, news: RoleAssignmentInputs) {
    return { outs: { ...news } };
  },

  async delete(_id: string, props: RoleAssignmentInputs): Promise<void> {
    await context().directoryRoles.removeMember(props.customerId, props.roleId, props.userId);
  },
};
