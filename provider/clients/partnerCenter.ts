/**
 * Partner Center: customer users, CPV application consents and the organization profile.
 * Customer users take App+User tokens only; consents and the organization take app-only tokens too.
 */
import type { Credentials } from "../auth/credentials";
import { scopes } from "../auth/credentials";
import type { ProviderConfig } from "../config";
import type { Pipeline } from "../http/pipeline";
import { ApiClient, continuationNextPage } from "./apiClient";
import { guidPath } from "./path";
import { ApplicationConsentBody, CustomerUser, customerUserCollectionSchema, customerUserSchema, Organization, organizationResponseSchema } from "./schemas";

/** What Partner Center sets on a user itself: never sent. */
type ServiceFields = "id" | "state" | "userDomainType" | "lastDirectorySyncTime" | "softDeletionTime" | "attributes";

export interface PasswordProfile {
  password: string;
  forceChangePassword: boolean;
}

/** The fields a PATCH may set (those of customerUserSchema that are not the service's); `passwordProfile` is a password reset. */
export type CustomerUserPatch = Partial<Omit<CustomerUser, ServiceFields>> & { passwordProfile?: PasswordProfile };

/** A POST: a user's fields, its sign-in name and its first password. */
export type NewCustomerUser = CustomerUserPatch & { userPrincipalName: string; passwordProfile: PasswordProfile };

export class PartnerCenterClient extends ApiClient {
  constructor(
    private readonly config: ProviderConfig,
    private readonly credentials: Credentials,
    pipeline: Pipeline,
  ) {
    super(`${config.partnerCenterUrl.replace(/\/+$/, "")}/v1`, "Partner Center", pipeline, config.requestTimeoutMs);
  }

  private readonly userToken = { scope: scopes.partnerCenterUser, user: true };
  /** Consents and the organization accept app-only tokens: prefer them, they need no partner user. */
  private get anyToken() {
    return this.credentials.hasAppCredential ? { scope: scopes.partnerCenter } : this.userToken;
  }

  private usersLimit(customerId: string) {
    return { key: `users:${customerId}`, requestsPerSecond: this.config.userRateLimit };
  }

  /** `requestId`: the MS-RequestId to send (see provider/resources/recovery.ts); a new one when absent. */
  async createUser(customerId: string, user: NewCustomerUser, requestId?: string): Promise<CustomerUser> {
    const body = { ...user, attributes: { objectType: "CustomerUser" } };
    return this.send({
      method: "POST",
      url: guidPath`customers/${{ customerId }}/users`,
      body,
      headers: requestId ? { "MS-RequestId": requestId } : undefined,
      schema: customerUserSchema,
      operation: `create user ${user.userPrincipalName}`,
      customerId,
      auth: this.userToken,
      rateLimit: this.usersLimit(customerId),
    });
  }

  /** The user, or undefined when Partner Center does not know it (404). */
  async getUser(customerId: string, userId: string): Promise<CustomerUser | undefined> {
    return this.sendOrNotFound({
      method: "GET",
      url: guidPath`customers/${{ customerId }}/users/${{ userId }}`,
      schema: customerUserSchema,
      operation: `read user ${userId}`,
      customerId,
      auth: this.userToken,
      rateLimit: this.usersLimit(customerId),
    });
  }

  /** Every user of the customer, following MS-ContinuationToken pages to the end. */
  async listUsers(customerId: string, options: { inactive?: boolean; pageSize?: number } = {}): Promise<CustomerUser[]> {
    const users: CustomerUser[] = [];
    const pages = this.paginate(
      {
        method: "GET",
        url: guidPath`customers/${{ customerId }}/users`,
        query: {
          size: options.pageSize ?? 500,
          filter: options.inactive ? JSON.stringify({ Field: "UserState", Value: "Inactive", Operator: "equals" }) : undefined,
        },
        schema: customerUserCollectionSchema,
        operation: `list the users${options.inactive ? " (soft-deleted)" : ""}`,
        customerId,
        auth: this.userToken,
        rateLimit: this.usersLimit(customerId),
      },
      continuationNextPage,
    );
    for await (const page of pages) users.push(...page.items);
    return users;
  }

  /** A user by UPN among the active and the soft-deleted users. */
  async findUserByUpn(customerId: string, upn: string): Promise<CustomerUser | undefined> {
    const same = (u: CustomerUser) => u.userPrincipalName.toLowerCase() === upn.toLowerCase();
    return (await this.listUsers(customerId)).find(same) ?? (await this.listUsers(customerId, { inactive: true })).find(same);
  }

  async updateUser(customerId: string, userId: string, patch: CustomerUserPatch): Promise<CustomerUser> {
    return this.patchUser(customerId, userId, patch, `update user ${userId}`);
  }

  /** Brings a soft-deleted user back. */
  async restoreUser(customerId: string, userId: string): Promise<CustomerUser> {
    return this.patchUser(customerId, userId, { state: "active" }, `restore user ${userId}`);
  }

  private patchUser(customerId: string, userId: string, body: object, operation: string): Promise<CustomerUser> {
    return this.send({
      method: "PATCH",
      url: guidPath`customers/${{ customerId }}/users/${{ userId }}`,
      body: { ...body, attributes: { objectType: "CustomerUser" } },
      schema: customerUserSchema,
      operation,
      customerId,
      auth: this.userToken,
      rateLimit: this.usersLimit(customerId),
    });
  }

  /** Soft-deletes the user; a user already gone is success. */
  async deleteUser(customerId: string, userId: string): Promise<void> {
    await this.sendOrNotFound({
      method: "DELETE",
      url: guidPath`customers/${{ customerId }}/users/${{ userId }}`,
      operation: `delete user ${userId}`,
      customerId,
      auth: this.userToken,
      rateLimit: this.usersLimit(customerId),
    });
  }

  async createConsent(customerId: string, consent: ApplicationConsentBody, requestId?: string): Promise<void> {
    await this.send({
      method: "POST",
      url: guidPath`customers/${{ customerId }}/applicationconsents`,
      body: consent,
      headers: requestId ? { "MS-RequestId": requestId } : undefined,
      operation: `consent application ${consent.applicationId}`,
      customerId,
      auth: this.anyToken,
      rateLimit: { key: `consents:${consent.applicationId}`, requestsPerSecond: this.config.consentRateLimit },
    });
  }

  /** Removes the consent; one already gone is success. */
  async deleteConsent(customerId: string, applicationId: string): Promise<void> {
    await this.sendOrNotFound({
      method: "DELETE",
      url: guidPath`customers/${{ customerId }}/applicationconsents/${{ applicationId }}`,
      operation: `remove the consent of application ${applicationId}`,
      customerId,
      auth: this.anyToken,
      rateLimit: { key: `consents:${applicationId}`, requestsPerSecond: this.config.consentRateLimit },
    });
  }

  async getOrganization(customerId: string): Promise<Organization> {
    const orgs = await this.send({
      method: "GET",
      url: guidPath`customers/${{ customerId }}/organization`,
      schema: organizationResponseSchema,
      operation: "read the organization profile",
      customerId,
      auth: this.anyToken,
      rateLimit: { key: "partnercenter", requestsPerSecond: this.config.requestRateLimit },
    });
    return orgs[0];
  }
}
