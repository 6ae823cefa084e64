/**
 * The CustomerUser dynamic provider: a user in a customer tenant, through Partner Center.
 *
 * - check validates every input before any call (customerUserInputsSchema).
 * - a change of customerId or immutableId replaces the user; everything else is a PATCH, and a
 *   password change is a password reset.
 * - create restores a soft-deleted user with the same UPN instead of creating a duplicate, and adopts
 *   an active one only when asked (`adopt: true`), since `pulumi import` does not work for dynamic providers.
 * - read reports the live user, so refresh shows what changed outside Pulumi; a user deleted or
 *   soft-deleted outside Pulumi reads as gone.
 * - delete soft-deletes (Partner Center keeps the user 30 days); already gone is success.
 */
import type { CustomerUser } from "../clients/schemas";
import { isPartnerCenterError, PartnerCenterError } from "../errors";
import { isTransientNetworkError } from "../http/retryPolicy";
import { CheckFailure, CustomerUserInputs, customerUserInputsSchema, validate } from "./inputs";
import { configFailure, configure, context, knownOnly, StackConfig } from "./runtime";

const replaceKeys = ["customerId", "immutableId"] as const;
/** Inputs whose values must never be echoed, even when they are invalid. */
const secretInputs = new Set(["password"]);
const patchKeys = ["userPrincipalName", "displayName", "firstName", "lastName", "usageLocation"] as const;

export interface CustomerUserOutputs extends CustomerUserInputs {
  userId: string;
  state: string;
  userDomainType: string;
  lastDirectorySyncTime: string | null;
}

/** Outputs without undefined fields: the engine's protobuf Struct rejects them ("Unexpected struct type"). */
function outputs(inputs: CustomerUserInputs, user: CustomerUser): CustomerUserOutputs {
  return withoutUndefined({
    ...inputs,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    firstName: user.firstName ?? undefined,
    lastName: user.lastName ?? undefined,
    usageLocation: user.usageLocation ?? inputs.usageLocation,
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

export const customerUserProvider = {
  async configure(req: { config: StackConfig }): Promise<void> {
    configure(req.config);
  },

  async check(_olds: unknown, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
    const { known, unknownKeys } = knownOnly(news);
    const { inputs, failures } = validate(customerUserInputsSchema, known);
    const real = failures
      .filter((f) => !unknownKeys.has(f.property.split(/[.[]/)[0]))
      // The engine prints a failing property's value next to its name ("property password value
      // {…} has a problem"), secret or not. For the password, report the failure without a property
      // (the reason names the field) so a mistyped real password never reaches a terminal or CI log.
      .map((f) => (secretInputs.has(f.property) ? { property: "", reason: f.reason.startsWith(f.property) ? f.reason : `${f.property}: ${f.reason}` } : f));
    const config = configFailure();
    if (config) real.push(config);
    else if (!context().credentials.hasUserCredential) real.push({ property: "partnercenter:refreshToken", reason: userCredentialsMessage });
    return { inputs: inputs ? { ...news, ...inputs } : news, failures: real };
  },

  async diff(_id: string, olds: CustomerUserOutputs, news: CustomerUserInputs) {
    const replaces = replaceKeys.filter((k) => (olds[k] ?? null) !== (news[k] ?? null));
    // Optional fields the program leaves out (firstName, lastName) are not managed: their live value is no drift.
    const optional = new Set(["firstName", "lastName"]);
    const updates = [...patchKeys, "password", "forceChangePassword", "adopt"].filter(
      (k) => !(optional.has(k) && (news as any)[k] === undefined) && ((olds as any)[k] ?? null) !== ((news as any)[k] ?? null),
    );
    return {
      changes: replaces.length + updates.length > 0,
      replaces: [...replaces],
      // Same customer, new immutableId: the old user must go first or the UPN would clash.
      deleteBeforeReplace: replaces.length > 0 && olds.customerId === news.customerId,
    };
  },

  async create(inputs: CustomerUserInputs): Promise<{ id: string; outs: CustomerUserOutputs }> {
    requireUserCredentials();
    const pc = context().partnerCenter;
    const existing = await pc.findUserByUpn(inputs.customerId, inputs.userPrincipalName);
    let user: CustomerUser;
    if (existing && existing.state === "inactive") {
      // Soft-deleted (by us or by someone else): restore it rather than fail on a duplicate UPN.
      await pc.restoreUser(inputs.customerId, existing.id);
      user = await pc.updateUser(inputs.customerId, existing.id, patchFor(inputs, true));
    } else if (existing) {
      if (!inputs.adopt) {
        throw new PartnerCenterError(
          { operation: `create user ${inputs.userPrincipalName}`, customerId: inputs.customerId },
          `Could not create user ${inputs.userPrincipalName} for customer ${inputs.customerId}: a user with that userPrincipalName already exists (id ${existing.id}). To bring it under management, set adopt: true on this CustomerUser (its fields and password are then set to the program's); or choose another userPrincipalName.`,
        );
      }
      user = await pc.updateUser(inputs.customerId, existing.id, patchFor(inputs, true));
    } else {
      try {
        user = await pc.createUser(inputs.customerId, {
          userPrincipalName: inputs.userPrincipalName,
          displayName: inputs.displayName,
          firstName: inputs.firstName,
          lastName: inputs.lastName,
          usageLocation: inputs.usageLocation,
          immutableId: inputs.immutableId,
          password: inputs.password,
          forceChangePassword: inputs.forceChangePassword,
        });
      } catch (err) {
        // The retries ran out on an answer that leaves the outcome unknown (a lost connection, 5xx,
        // 429): the POST may have been applied. No user had this UPN just before it, so an active one
        // now is the one this create made: take it, rather than fail and leave it unmanaged (the next
        // `up` would then refuse it without adopt: true). Anything else, or nothing found: the error.
        if (!outcomeUnknown(err)) throw err;
        const made = await pc.findUserByUpn(inputs.customerId, inputs.userPrincipalName).catch(() => undefined);
        if (!made || made.state !== "active") throw err;
        user = made;
      }
    }
    return { id: user.id, outs: outputs(inputs, user) };
  },

  async read(id: string, props: CustomerUserOutputs) {
    requireUserCredentials();
    const user = await context().partnerCenter.getUser(props.customerId, id);
    if (!user || user.state !== "active") return { id: "", props: {} };
    return { id, props: outputs(props, user) };
  },

  async update(id: string, olds: CustomerUserOutputs, news: CustomerUserInputs) {
    requireUserCredentials();
    const passwordChanged = olds.password !== news.password || olds.forceChangePassword !== news.forceChangePassword;
    const patch = patchFor(news, passwordChanged);
    for (const k of patchKeys) if (((olds[k] ?? null) === (news[k] ?? null) && k !== "displayName") || news[k] === undefined) delete (patch as any)[k];
    const user = await context().partnerCenter.updateUser(news.customerId, id, patch);
    return { outs: outputs(news, user) };
  },

  async delete(id: string, props: CustomerUserOutputs): Promise<void> {
    requireUserCredentials();
    await context().partnerCenter.deleteUser(props.customerId, id);
  },
};

/** A failure after which the service may or may not have applied the request. */
function outcomeUnknown(err: unknown): boolean {
  if (isPartnerCenterError(err)) return err.retryable;
  return isTransientNetworkError(err);
}

function patchFor(inputs: CustomerUserInputs, withPassword: boolean) {
  return {
    userPrincipalName: inputs.userPrincipalName,
    displayName: inputs.displayName,
    firstName: inputs.firstName,
    lastName: inputs.lastName,
    usageLocation: inputs.usageLocation,
    ...(withPassword ? { passwordProfile: { password: inputs.password, forceChangePassword: inputs.forceChangePassword } } : {}),
  };
}
