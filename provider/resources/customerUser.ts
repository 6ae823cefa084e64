/**
 * The CustomerUser dynamic provider: a user in a customer tenant, through Partner Center.
 *
 * - check validates every input before any call (customerUserInputsSchema).
 * - a change of customerId replaces the user; everything else is a PATCH (immutableId too: the
 *   user keeps its UPN, which a soft-deleted old user would hold anyway), and a password change is a
 *   password reset. The answer to every PATCH is checked, so state never claims what the service
 *   did not take.
 * - create restores a soft-deleted user with the same UPN instead of creating a duplicate, and takes
 *   over an active one only when told to (see adoption.ts).
 * - read reports the live user, and the live inputs, so refresh shows what changed outside Pulumi and
 *   ignoreChanges keeps an out-of-band value; a user deleted or soft-deleted outside Pulumi reads as gone.
 * - delete soft-deletes (Partner Center keeps the user 30 days); already gone is success.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { CustomerUserPatch } from "../clients/partnerCenter";
import { CustomerUser, customerUserSchema } from "../clients/schemas";
import { isPartnerCenterError, PartnerCenterError } from "../errors";
import { customerUserFailure } from "./customerFacts";
import { adoptionHint, adoptMatching, outcomeUnknown, reportAdoption, unknownOutcomeHint } from "./adoption";
import { deleteInCustomer, refusedAccess } from "./unreachable";
import {
  CheckFailure,
  customerUserComputedFields,
  customerUserFields,
  CustomerUserInputs,
  customerUserInputsSchema,
  CustomerUserOutputs,
  customerUserSecretFields,
  validate,
} from "./inputs";
import {
  CreateRequest,
  createRequestId,
  freshRequestId,
  journaledCreate,
  recoveryFailure,
  reportRecovered,
  reportReplayedGone,
  retiringAnswered,
  withCreateRequestId,
  withoutCreateRequestId,
} from "./recovery";
import { configFailure, configure, context, knownOnly, StackConfig, warn } from "./runtime";

export type { CustomerUserOutputs };

type Input = keyof CustomerUserInputs;
/** An input that is also a field of Partner Center's user. */
type UserField = Input & keyof CustomerUser;

const inputKeys = Object.keys(customerUserFields) as Input[];
const replaceKeys: Input[] = ["customerId"];
/**
 * The inputs that are fields of Partner Center's user (customerUserSchema): what a POST and a PATCH
 * send, and what a read reports back. The others are the path (customerId), the password profile
 * and the provider's own flag (adopt).
 */
const userFields = inputKeys.filter((k): k is UserField => k in customerUserSchema.shape);
/** Inputs whose values must never be echoed, even when they are invalid. */
const secretInputs = new Set<string>(customerUserSecretFields);
/** Optional fields the program may leave out: then they are not managed, and their live value is no drift. */
const isOptional = (k: Input) => customerUserFields[k] instanceof z.ZodOptional;
/** Fields the service compares without case: a live value in another case is the program's. */
const caseInsensitive = new Set<Input>(["userPrincipalName", "usageLocation"]);
/** Outputs the service computes; everything else in the outputs is an input. */
const computedKeys = Object.keys(customerUserComputedFields);

/** The user fields of the inputs, as a POST or PATCH sends them. */
function userBody(inputs: CustomerUserInputs): Pick<CustomerUserInputs, UserField> {
  return Object.fromEntries(userFields.map((k) => [k, inputs[k]])) as Pick<CustomerUserInputs, UserField>;
}

/** Outputs without undefined fields: the engine's protobuf Struct rejects them ("Unexpected struct type"). */
function outputs(inputs: CustomerUserInputs, user: CustomerUser): CustomerUserOutputs {
  // The live value of each field; a required one the service did not echo keeps the program's.
  const live = Object.fromEntries(userFields.map((k) => [k, user[k] ?? (isOptional(k) ? undefined : inputs[k])]));
  return withoutUndefined({
    ...withoutCreateRequestId(inputs),
    ...live,
    userId: user.id,
    state: user.state,
    userDomainType: user.userDomainType,
    lastDirectorySyncTime: user.lastDirectorySyncTime ?? null,
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const userCredentialsMessage =
  "CustomerUser needs App+User credentials: Partner Center accepts only a partner user's token for customer users. Set partnercenter:refreshToken (pulumi config set --secret partnercenter:refreshToken <token>) or PARTNERCENTER_REFRESH_TOKEN.";

function requireUserCredentials(): void {
  if (!context().credentials.hasUserCredential) {
    throw new PartnerCenterError({ operation: "manage customer users" }, userCredentialsMessage);
  }
}

export const customerUserProvider = retiringAnswered("CustomerUser", {
  async configure(req: { config: StackConfig }): Promise<void> {
    configure(req.config);
  },

  async check(
    olds: Record<string, unknown> | undefined,
    news: Record<string, unknown>,
  ): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
    const { known, unknownKeys } = knownOnly(news);
    const { inputs, failures } = validate(customerUserInputsSchema, known);
    const real = failures
      .filter((f) => !unknownKeys.has(f.property.split(/[.[]/)[0]) && !(f.property === "password" && unknownKeys.has("adopt")))
      // The engine prints a failing property's value next to its name ("property password value
      // {…} has a problem"), secret or not. For the password, report the failure without a property
      // (the reason names the field) so a mistyped real password never reaches a terminal or CI log.
      .map((f) => (secretInputs.has(f.property) ? { property: "", reason: f.reason.startsWith(f.property) ? f.reason : `${f.property}: ${f.reason}` } : f));
    const config = configFailure();
    if (config) real.push(config);
    else if (!context().credentials.hasUserCredential) real.push({ property: "partnercenter:refreshToken", reason: userCredentialsMessage });
    const recovery = config ? undefined : await recoveryFailure();
    if (recovery) real.push(recovery);
    // Read-only facts about the customer, once the inputs are otherwise good; a user already made
    // with this customer and name was checked when it was declared.
    const moved = olds?.customerId !== inputs?.customerId || String(olds?.userPrincipalName).toLowerCase() !== inputs?.userPrincipalName.toLowerCase();
    const fact = real.length === 0 && inputs && moved ? await customerUserFailure(inputs.customerId, inputs.userPrincipalName) : undefined;
    if (fact) real.push(fact);
    return { inputs: withCreateRequestId(inputs ? { ...news, ...inputs } : news), failures: real };
  },

  async diff(_id: string, olds: CustomerUserOutputs, news: CustomerUserInputs): Promise<pulumi.dynamic.DiffResult> {
    const differs = (k: Input) => (olds[k] ?? null) !== (news[k] ?? null);
    const replaces = replaceKeys.filter(differs);
    // Everything else updates in place (immutableId too: see the top), password and flags included.
    const updates = inputKeys.filter((k) => !replaceKeys.includes(k) && !(isOptional(k) && news[k] === undefined) && differs(k));
    return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(inputs: CustomerUserInputs): Promise<{ id: string; outs: CustomerUserOutputs }> {
    requireUserCredentials();
    // A create the interrupted run left unanswered is sent again as it was (recovery.ts): the
    // service's answer, not the user's fields, says whether that run made this user; one that
    // answered is read by the id it gave. Asked first: a recovery file that is not this stack's
    // latest run's stops the create before any call.
    const request = await createRequestId(
      "CustomerUser",
      inputs,
      (p) => p.customerId === inputs.customerId && String(p.userPrincipalName).toLowerCase() === inputs.userPrincipalName.toLowerCase(),
    );
    return journaledCreate("CustomerUser", inputs, request, {
      what: `user ${inputs.userPrincipalName} in customer ${inputs.customerId}`,
      send: () => createOrTake(inputs, request),
      // An earlier run's create answered with this id: the user it made, read by that id (soft-deleted or gone: made anew).
      takeBack: async (id) => {
        const user = await context().partnerCenter.getUser(inputs.customerId, id);
        return user?.state === "active" ? { id: user.id, outs: outputs(inputs, user) } : undefined;
      },
    });
  },

  async read(id: string, props: CustomerUserOutputs) {
    requireUserCredentials();
    // `CustomerUser.get` reads with only customerId: a missing user there is an error, not an empty resource.
    const isGet = props.userPrincipalName === undefined;
    let user: CustomerUser | undefined;
    try {
      user = await context().partnerCenter.getUser(props.customerId, id);
    } catch (err) {
      // The partner lost its roles in that customer (say, the customer ended the relationship): the
      // user is still there as far as anyone here can tell, so the state keeps what it recorded.
      if (isGet || !refusedAccess(err)) throw err;
      warn(`cannot read back user ${id} of customer ${props.customerId} (${err.message}); keeping the recorded state.`);
      return { id, props };
    }
    if (isGet && (!user || user.state !== "active")) {
      throw new PartnerCenterError(
        { operation: `read user ${id}`, customerId: props.customerId, statusCode: user ? undefined : 404 },
        `Could not read user ${id} for customer ${props.customerId}: ${user ? "that user is soft-deleted" : "Partner Center has no user with that id in that customer"}. Check the id and customerId given to CustomerUser.get.`,
      );
    }
    if (!user || user.state !== "active") return { id: "", props: {} };
    const live = outputs(props, user);
    const inputs: Record<string, unknown> = { ...live };
    for (const k of computedKeys) delete inputs[k];
    // The live values are the inputs from now on, so that ignoreChanges keeps an out-of-band change.
    return { id, props: live, inputs };
  },

  async update(id: string, olds: CustomerUserOutputs, news: CustomerUserInputs) {
    requireUserCredentials();
    const passwordChanged = olds.password !== news.password || olds.forceChangePassword !== news.forceChangePassword;
    const patch = patchFor(news, passwordChanged);
    // displayName always goes: a PATCH names at least one field of the user.
    for (const k of userFields) if (((olds[k] ?? null) === (news[k] ?? null) && k !== "displayName") || news[k] === undefined) delete patch[k];
    const user = await patchChecked(news, id, patch);
    return { outs: outputs(news, user) };
  },

  async delete(id: string, props: CustomerUserOutputs): Promise<void> {
    requireUserCredentials();
    await deleteInCustomer(props.customerId, `user ${props.userPrincipalName ?? id}`, () => context().partnerCenter.deleteUser(props.customerId, id));
  },
} satisfies pulumi.dynamic.ResourceProvider);

/** The create itself, once its request id is chosen and its intent is in the journal. */
async function createOrTake(inputs: CustomerUserInputs, request: CreateRequest): Promise<{ id: string; outs: CustomerUserOutputs }> {
  const pc = context().partnerCenter;
  const what = `user ${inputs.userPrincipalName}`;
  const operation = { operation: `create ${what}`, customerId: inputs.customerId };
  const known = (
    await directory(inputs.customerId).catch((err) => {
      // Say what the user was doing: creating this user, not "listing the users".
      if (!isPartnerCenterError(err)) throw err;
      throw new PartnerCenterError(
        { ...operation, statusCode: err.statusCode, cause: err },
        (err as Error).message.replace(/^Could not list the users( \(soft-deleted\))?/, `Could not create ${what}: reading the customer's users failed`),
      );
    })
  ).get(inputs.userPrincipalName.toLowerCase());
  // Read again: the directory was read at the run's first create in this customer.
  const current = known && (await pc.getUser(inputs.customerId, known.id));
  if (current && !(request.recovering && current.state === "active")) return takeExisting(inputs, current);
  const newPassword = passwordProfile(inputs);
  if (!newPassword) {
    throw new PartnerCenterError(
      operation,
      `Could not create ${what} for customer ${inputs.customerId}: there is no user with that userPrincipalName to take over (adopt: true), and a new user needs a password. Set password on this CustomerUser, or check the userPrincipalName. Nothing was sent to the service.`,
    );
  }
  let user: CustomerUser;
  try {
    const body = { ...userBody(inputs), passwordProfile: newPassword };
    user = await pc.createUser(inputs.customerId, body, request.id);
    if (request.recovering) {
      // A replayed answer is the first one: read the user back, since it may have been deleted since.
      const live = await pc.getUser(inputs.customerId, user.id);
      if (live?.state === "active") {
        user = live;
        reportRecovered(`${what} (id ${user.id}) in customer ${inputs.customerId}`, request);
      } else {
        reportReplayedGone(`${what} (id ${user.id}) in customer ${inputs.customerId}`);
        user = await pc.createUser(inputs.customerId, body, freshRequestId());
      }
    }
  } catch (err) {
    if (isDuplicateUpn(err)) {
      // Made since this run read the directory: look again, and treat it as any existing user.
      const existing = await pc.findUserByUpn(inputs.customerId, inputs.userPrincipalName);
      if (existing) return takeExisting(inputs, existing);
      throw err;
    }
    // The retries ran out on an answer that leaves the outcome unknown (a lost connection, 5xx):
    // the POST may have been applied. No user had this UPN when this run read the directory, so an
    // active one now is the one this create made: take it. Nothing found, or no way to look: say
    // what the next run will need, since it will find the user if the POST landed.
    if (!outcomeUnknown(err)) throw err;
    const made = await pc.findUserByUpn(inputs.customerId, inputs.userPrincipalName).catch(() => undefined);
    if (!made || made.state !== "active") {
      throw new PartnerCenterError({ ...operation, cause: err }, `${(err as Error).message} ${unknownOutcomeHint(`the ${what}`)}`);
    }
    user = made;
  }
  return { id: user.id, outs: outputs(inputs, user) };
}

/**
 * The customer's users (active and soft-deleted) by UPN, read once per customer per run and shared by
 * every create in that customer: a create then costs one POST, not two listings of a tenant that may
 * hold thousands of users. Creates made after the read find each other through the duplicate-UPN answer.
 */
const directories = new WeakMap<object, Map<string, Promise<Map<string, CustomerUser>>>>();
function directory(customerId: string): Promise<Map<string, CustomerUser>> {
  const ctx = context();
  let perCustomer = directories.get(ctx);
  if (!perCustomer) directories.set(ctx, (perCustomer = new Map()));
  let users = perCustomer.get(customerId);
  if (!users) {
    users = Promise.all([ctx.partnerCenter.listUsers(customerId), ctx.partnerCenter.listUsers(customerId, { inactive: true })]).then(
      ([active, inactive]) => new Map([...inactive, ...active].map((u) => [u.userPrincipalName.toLowerCase(), u])),
    );
    // A failed read is not kept: the next create reads again.
    users.catch(() => perCustomer!.delete(customerId));
    perCustomer.set(customerId, users);
  }
  return users;
}

/** An existing user with the program's UPN: restored when soft-deleted, taken when told to, else the error that says how. */
async function takeExisting(inputs: CustomerUserInputs, existing: CustomerUser): Promise<{ id: string; outs: CustomerUserOutputs }> {
  const what = `user ${inputs.userPrincipalName}`;
  let user: CustomerUser;
  if (existing.state === "inactive") {
    // Soft-deleted (by us or by someone else): it still holds the UPN, so restoring it is the only
    // way to have this UPN back without waiting 30 days for the purge; never a second user.
    await context().partnerCenter.restoreUser(inputs.customerId, existing.id);
    user = await patchChecked(inputs, existing.id, patchFor(inputs, true, existing));
    reportAdoption(`soft-deleted ${what} (id ${existing.id}) in customer ${inputs.customerId}`, "restored");
  } else {
    const reason = inputs.adopt ? "adopt" : adoptMatching() && matchesProgram(existing, inputs) ? "adoptMatching" : undefined;
    if (!reason) {
      throw new PartnerCenterError(
        { operation: `create ${what}`, customerId: inputs.customerId },
        `Could not create ${what} for customer ${inputs.customerId}: a user with that userPrincipalName already exists (id ${existing.id}). ${adoptionHint("CustomerUser", " (its fields are then set to the program's; its password only if the program gives one)")}`,
      );
    }
    // The password is reset only when the program gives one: taking a user over is no reason to lock it out.
    user = await patchChecked(inputs, existing.id, patchFor(inputs, true, existing));
    reportAdoption(
      `${what} (id ${existing.id}) in customer ${inputs.customerId}`,
      reason,
      inputs.password === undefined ? "its password is unchanged" : "its password was reset to the program's",
    );
  }
  return { id: user.id, outs: outputs(inputs, user) };
}

/**
 * Partner Center's answer to a UPN already taken is not documented (CONTRACT.md): the emulator
 * answers 400 code 1000 with Graph's text; a 409 or the same text under another code means the same.
 */
function isDuplicateUpn(err: unknown): boolean {
  if (!isPartnerCenterError(err)) return false;
  if (err.statusCode === 409) return true;
  return err.statusCode === 400 && (err.serviceCode === "1000" || /same value for property userPrincipalName|already exists/i.test(err.serviceMessage ?? ""));
}

/** PATCHes and checks that the answer carries what was asked: a field the service ignored is an error, not state. */
async function patchChecked(inputs: CustomerUserInputs, userId: string, patch: CustomerUserPatch): Promise<CustomerUser> {
  const user = await context().partnerCenter.updateUser(inputs.customerId, userId, patch);
  if (patch.immutableId !== undefined && user.immutableId !== patch.immutableId) {
    throw new PartnerCenterError(
      { operation: `update user ${userId}`, customerId: inputs.customerId },
      `Could not set immutableId of user ${inputs.userPrincipalName} (id ${userId}) for customer ${inputs.customerId}: Partner Center answered with immutableId ${JSON.stringify(user.immutableId ?? null)}, not ${JSON.stringify(patch.immutableId)}. The on-premises anchor of a synced user is set by directory synchronization: change it there, or put the program's immutableId back to the live value.`,
    );
  }
  return user;
}

/** Whether an existing user is exactly what the program declares (the password cannot be read, so it is set again). */
function matchesProgram(user: CustomerUser, inputs: CustomerUserInputs): boolean {
  return userFields.every((k) => {
    const wanted = inputs[k];
    if (wanted === undefined) return true;
    const have = user[k] ?? undefined;
    return caseInsensitive.has(k) ? (have ?? "").toLowerCase() === wanted.toLowerCase() : have === wanted;
  });
}

/** The password reset the program asks for, or none when it gives no password (an adopted user keeps its own). */
const passwordProfile = (inputs: CustomerUserInputs) =>
  inputs.password === undefined ? undefined : { password: inputs.password, forceChangePassword: inputs.forceChangePassword };

/** The PATCH that makes a user what the program says; immutableId only when the program sets it and it differs. */
function patchFor(inputs: CustomerUserInputs, withPassword: boolean, live?: CustomerUser): CustomerUserPatch {
  const patch: CustomerUserPatch = userBody(inputs);
  if (inputs.immutableId === undefined || inputs.immutableId === (live?.immutableId ?? undefined)) delete patch.immutableId;
  const profile = withPassword ? passwordProfile(inputs) : undefined;
  if (profile) patch.passwordProfile = profile;
  return patch;
}
