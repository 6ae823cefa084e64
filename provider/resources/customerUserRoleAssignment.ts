/**
 * The CustomerUserRoleAssignment dynamic provider: a customer user in a directory role through
 * Partner Center (`/v1/customers/{id}/directoryroles/{roleId}/usermembers`). A membership has no
 * fields of its own, so any change replaces it; one found at create time is taken only when told
 * (see adoption.ts). App+User credentials, and Privileged Role Administrator in the customer.
 *
 * The role is given by its id in that tenant or by name: a name is resolved at create time (role
 * ids differ between tenants), so a program needs no directory-role read of its own, which would
 * need those roles already while the program runs.
 */
import type * as pulumi from "@pulumi/pulumi";
import { isPartnerCenterError, PartnerCenterError } from "../errors";
import { requireGuid } from "../clients/path";
import { createRequestId, freshRequestId, journaledCreate, reportRecovered, reportReplayedGone, retiringAnswered, withoutCreateRequestId } from "./recovery";
import { adoptionHint, adoptMatching, outcomeUnknown, reportAdoption, unknownOutcomeHint } from "./adoption";
import { deleteInCustomer } from "./unreachable";
import { checkInputs, RoleAssignmentInputs, roleAssignmentInputsSchema, RoleAssignmentOutputs } from "./gdapInputs";
import { configure, context, StackConfig, warn } from "./runtime";

const appUserMessage =
  "CustomerUserRoleAssignment needs App+User credentials: Partner Center accepts only a partner user's token for directory roles. Set partnercenter:refreshToken (pulumi config set --secret partnercenter:refreshToken <token>) or PARTNERCENTER_REFRESH_TOKEN.";

export type { RoleAssignmentOutputs };

const idOf = (i: RoleAssignmentOutputs) => `${i.customerId}/${i.roleId}/${i.userId}`;
/** Partner Center's older name of Global Administrator. */
const aliases: Record<string, string> = { "global administrator": "company administrator", "company administrator": "global administrator" };

async function resolveRole(i: RoleAssignmentInputs): Promise<string> {
  if (i.roleId) return i.roleId;
  const roles = await context().directoryRoles.listRoles(i.customerId);
  const wanted = i.roleName!.toLowerCase();
  const role = roles.find((r) => r.name.toLowerCase() === wanted) ?? roles.find((r) => r.name.toLowerCase() === aliases[wanted]);
  if (!role) {
    throw new PartnerCenterError(
      { operation: `find the directory role '${i.roleName}'`, customerId: i.customerId },
      `Could not find the directory role '${i.roleName}' in customer ${i.customerId}: it has ${roles
        .map((r) => r.name)
        .sort()
        .join(", ")}.`,
    );
  }
  return role.id;
}

/** The page's body names the user by display name and UPN too: read them from Partner Center. */
async function memberBody(i: RoleAssignmentOutputs) {
  const user = await context().partnerCenter.getUser(i.customerId, i.userId);
  if (!user || user.state !== "active") {
    throw new PartnerCenterError(
      { operation: `add user ${i.userId} to directory role ${i.roleName ?? i.roleId}`, customerId: i.customerId, statusCode: 404 },
      `Could not add user ${i.userId} to directory role ${i.roleName ?? i.roleId} in customer ${i.customerId}: Partner Center has no ${user ? "active " : ""}user with that id${user ? " (it is soft-deleted: restore it first)" : ""}.`,
    );
  }
  return { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName };
}

async function isMember(i: RoleAssignmentOutputs): Promise<boolean> {
  const members = await context().directoryRoles.listMembers(i.customerId, i.roleId);
  return members.some((m) => m.id.toLowerCase() === i.userId.toLowerCase());
}

/** The inputs a read reports: the role as the program gave it (by name, the id stays an output). */
function news(props: RoleAssignmentOutputs): Record<string, unknown> {
  if (props.roleName === undefined) return props;
  const { roleId: _resolved, ...inputs } = props;
  return inputs;
}

/**
 * `CustomerUserRoleAssignment.get`, id `{customerId}/{roleId}/{userId}`: a user who is not a member
 * is an error, and so is a read the partner's roles do not allow (nothing is kept to fall back on).
 */
async function readForGet(id: string) {
  const operation = `read the directory role membership ${id} (CustomerUserRoleAssignment.get)`;
  const parts = typeof id === "string" ? id.split("/") : [];
  if (parts.length !== 3) {
    throw new PartnerCenterError(
      { operation },
      `Could not ${operation}: the id must be {customerId}/{roleId}/{userId}, the resource id a CustomerUserRoleAssignment has. Nothing was sent to the service.`,
    );
  }
  const [customerId, roleId, userId] = parts;
  requireGuid("customerId", customerId, operation);
  requireGuid("roleId", roleId, operation);
  requireGuid("userId", userId, operation);
  if (!context().credentials.hasUserCredential) throw new PartnerCenterError({ operation }, appUserMessage);
  const props: RoleAssignmentOutputs = { customerId, roleId, userId, adopt: false };
  if (!(await isMember(props))) {
    throw new PartnerCenterError(
      { operation, customerId, statusCode: 404 },
      `Could not ${operation}: user ${userId} is not a member of directory role ${roleId} in customer ${customerId}. Check the id given to CustomerUserRoleAssignment.get.`,
    );
  }
  return { id, props, inputs: props };
}

export const customerUserRoleAssignmentProvider = retiringAnswered("CustomerUserRoleAssignment", {
  async configure(req: { config: StackConfig }): Promise<void> {
    configure(req.config);
  },

  async check(_olds: unknown, news: Record<string, unknown>) {
    return checkInputs(roleAssignmentInputsSchema, news, appUserMessage);
  },

  async diff(_id: string, olds: RoleAssignmentOutputs, news: RoleAssignmentInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces: string[] = (["customerId", "userId"] as const).filter((k) => olds[k]?.toLowerCase() !== news[k]?.toLowerCase());
    // By name, the resolved id stays; by id, the id is what counts.
    if (news.roleId !== undefined ? olds.roleId?.toLowerCase() !== news.roleId.toLowerCase() : olds.roleName !== news.roleName)
      replaces.push(news.roleId !== undefined ? "roleId" : "roleName");
    return { changes: replaces.length > 0 || (olds.adopt ?? false) !== (news.adopt ?? false), replaces, deleteBeforeReplace: true };
  },

  async create(news: RoleAssignmentInputs): Promise<{ id: string; outs: RoleAssignmentOutputs }> {
    const roles = context().directoryRoles;
    const inputs: RoleAssignmentOutputs = withoutCreateRequestId({ ...news, roleId: await resolveRole(news) });
    const operation = `add user ${inputs.userId} to directory role ${inputs.roleName ?? inputs.roleId}`;
    // A create the interrupted run left unanswered is sent again with its MS-RequestId (recovery.ts):
    // the service's answer says whether that run made this membership. One that answered is read back.
    const request = await createRequestId(
      "CustomerUserRoleAssignment",
      news,
      (p) =>
        p.customerId === inputs.customerId &&
        String(p.userId).toLowerCase() === inputs.userId.toLowerCase() &&
        (p.roleId ?? p.roleName) === (news.roleId ?? news.roleName),
    );
    const what = `the membership of user ${inputs.userId} in directory role ${inputs.roleId} of customer ${inputs.customerId}`;
    return journaledCreate("CustomerUserRoleAssignment", news, request, {
      what,
      // An earlier run's create answered: the membership it made, if the user is still a member (else made anew).
      takeBack: async () => ((await isMember(inputs)) ? { id: idOf(inputs), outs: { ...inputs } } : undefined),
      send: async () => {
        let existed = await isMember(inputs);
        if (!existed || request.recovering) {
          try {
            const body = await memberBody(inputs);
            await roles.addMember(inputs.customerId, inputs.roleId, body, request.id);
            if (request.recovering) {
              // A replayed answer is the first one: read the membership back, since it may have been removed since.
              if (await isMember(inputs)) reportRecovered(what, request);
              else {
                reportReplayedGone(what);
                await roles.addMember(inputs.customerId, inputs.roleId, body, freshRequestId());
              }
            }
            existed = false;
          } catch (err) {
            if (outcomeUnknown(err)) {
              throw new PartnerCenterError(
                { operation, customerId: inputs.customerId, cause: err },
                `${(err as Error).message} ${unknownOutcomeHint("the role membership")}`,
              );
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
          reportAdoption(what, reason);
        }
        return { id: idOf(inputs), outs: { ...inputs } };
      },
    });
  },

  async read(id: string, props: RoleAssignmentOutputs) {
    // `CustomerUserRoleAssignment.get` reads with the id alone (a managed one always has its user).
    if (props.userId === undefined) return readForGet(id);
    let member: boolean;
    try {
      member = await isMember(props);
    } catch (err) {
      // The GDAP roles to read directory roles are gone (say, an access assignment changed out of
      // band, which this same run may repair): keep what is recorded rather than guess.
      if (!(isPartnerCenterError(err) && err.statusCode === 403)) throw err;
      warn(`cannot read back the directory role membership ${id} (${err.message}); keeping the recorded state.`);
      return { id, props, inputs: news(props) };
    }
    if (!member) return { id: "", props: {} };
    return { id, props, inputs: news(props) };
  },

  async update(_id: string, olds: RoleAssignmentOutputs, news: RoleAssignmentInputs) {
    return { outs: { ...news, roleId: olds.roleId } };
  },

  async delete(_id: string, props: RoleAssignmentOutputs): Promise<void> {
    await deleteInCustomer(props.customerId, `the membership of user ${props.userId} in directory role ${props.roleId}`, () =>
      context().directoryRoles.removeMember(props.customerId, props.roleId, props.userId),
    );
  },
} satisfies pulumi.dynamic.ResourceProvider);
