/**
 * Partner Center: customer users, CPV application consents and the organization profile.
 * Customer users take App+User tokens only; consents and the organization take app-only tokens too.
 */
import type { Credentials } from "../auth/credentials";
import { scopes } from "../auth/credentials";
import type { ProviderConfig } from "../config";
import type { Pipeline } from "../http/pipeline";
import { ApiClient } from "./apiClient";
import { guidPath } from "./path";
import {
  ApplicationConsentBody,
  applicationConsentSchema,
  CustomerUser,
  customerUserCollectionSchema,
  customerUserSchema,
  Organization,
  organizationResponseSchema,
} from "./schemas";

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
  constructor(private readonly config: ProviderConfig, private readonly credentials: Credentials, pipeline: Pipeline) {
    super(`${config.partnerCenterUrl.replace(/\/+$/, "")}/v1`, "Partner Center", pipeline, config.requestTimeoutMs);
  }

  private userToken = () => this.credentials.userToken(scopes.partnerCenterUser);
  /** Consents and the organization accept app-only tokens: prefer them, they need no partner user. */
  private anyToken = () =>
    this.credentials.hasAppCredential
      ? this.credentials.appToken(scopes.partnerCenter)
      : this.credentials.userToken(scopes.partnerCenterUser);

  private usersLimit(customerId: string) {
    return { key: `users:${customerId}`, requestsPerSecond: this.config.userRateLimit };
  }

  async createUser(customerId: string, user: NewCustomerUser): Promise<CustomerUser> {
    const body = { ...user, attributes: { objectType: "CustomerUser" } };
    return (await this.send({
      method: "POST",
      url: guidPath`customers/${{ customerId }}/users`,
      body,
      schema: customerUserSchema,
      operation: `create user ${user.userPrincipalName}`,
      customerId,
      getAccessToken: this.userToken,
      rateLimit: this.usersLimit(customerId),
    }))!;
  }

  /** The user, or undefined when Partner Center does not know it (404). */
  async getUser(customerId: string, userId: string): Promise<CustomerUser | undefined> {
    return this.send({
      method: "GET",
      url: guidPath`customers/${{ customerId }}/users/${{ userId }}`,
      schema: customerUserSchema,
      operation: `read user ${userId}`,
      customerId,
      getAccessToken: this.userToken,
      rateLimit: this.usersLimit(customerId),
      tolerate: [404],
    });
  }

  /** Every user of the customer, following MS-ContinuationToken pages to the end. */
  async listUsers(customerId: string, options: { inactive?: boolean; pageSize?: number } = {}): Promise<CustomerUser[]> {
    const users: CustomerUser[] = [];
    let url = guidPath`customers/${{ customerId }}/users`;
    let query: Record<string, string | number | undefined> | undefined = {
      size: options.pageSize ?? 500,
      filter: options.inactive ? JSON.stringify({ Field: "UserState", Value: "Inactive", Operator: "equals" }) : undefined,
    };
    let headers: Record<string, string> = {};
    for (let page = 0; page < 10_000; page++) {
      const result = (await this.send({
        method: "GET",
        url,
        query,
        headers,
        schema: customerUserCollectionSchema,
        operation: `list the users${options.inactive ? " (soft-deleted)" : ""}`,
        customerId,
        getAccessToken: this.userToken,
        rateLimit: this.usersLimit(customerId),
      }))!;
      users.push(...result.items);
      const next = result.links?.next;
      if (!next) return users;
      url = this.nextPageUrl(next.uri);
      query = undefined;
      headers = Object.fromEntries((next.headers ?? []).map((h) => [h.key, h.value]));
    }
    throw new Error(`listing the users of customer ${customerId} did not end after 10000 pages`);
  }

  /** A user by UPN among the active and the soft-deleted users. */
  async findUserByUpn(customerId: string, upn: string): Promise<CustomerUser | undefined> {
    const same = (u: CustomerUser) => u.userPrincipalName.toLowerCase() === upn.toLowerCase();
    return (await this.listUsers(customerId)).find(same) ?? (await this.listUsers(customerId, { inactive: true })).find(same);
  }

  async updateUser(customerId: string, userId: string, patch: CustomerUserPatch): Promise<CustomerUser> {
    return (await this.send({
      method: "PATCH",
      url: guidPath`customers/${{ customerId }}/users/${{ userId }}`,
      body: { ...patch, attributes: { objectType: "CustomerUser" } },
      schema: customerUserSchema,
      operation: `update user ${userId}`,
      customerId,
      getAccessToken: this.userToken,
      rateLimit: this.usersLimit(customerId),
    }))!;
  }

  /** Brings a soft-deleted user back. */
  async restoreUser(customerId: string, userId: string): Promise<CustomerUser> {
    return (await this.send({
      method: "PATCH",
      url: guidPath`customers/${{ customerId }}/users/${{ userId }}`,
      body: { state: "active", attributes: { objectType: "CustomerUser" } },
      schema: customerUserSchema,
      operation: `restore user ${userId}`,
      customerId,
      getAccessToken: this.userToken,
      rateLimit: this.usersLimit(customerId),
    }))!;
  }

  /** Soft-deletes the user; a user already gone is success. */
  async deleteUser(customerId: string, userId: string): Promise<void> {
    await this.raw({
      method: "DELETE",
      url: guidPath`customers/${{ customerId }}/users/${{ userId }}`,
      schema: undefined,
      operation: `delete user ${userId}`,
      customerId,
      getAccessToken: this.userToken,
      rateLimit: this.usersLimit(customerId),
      tolerate: [404],
    });
  }

  async createConsent(customerId: string, consent: ApplicationConsentBody): Promise<void> {
    await this.raw({
      method: "POST",
      url: guidPath`customers/${{ customerId }}/applicationconsents`,
      body: consent,
      schema: applicationConsentSchema,
      operation: `consent application ${consent.applicationId}`,
      customerId,
      getAccessToken: this.anyToken,
      rateLimit: { key: `consents:${consent.applicationId}`, requestsPerSecond: this.config.consentRateLimit },
    });
  }

  /** Removes the consent; one already gone is success. */
  async deleteConsent(customerId: string, applicationId: string): Promise<void> {
    await this.raw({
      method: "DELETE",
      url: guidPath`customers/${{ customerId }}/applicationconsents/${{ applicationId }}`,
      schema: undefined,
      operation: `remove the consent of application ${applicationId}`,
      customerId,
      getAccessToken: this.anyToken,
      rateLimit: { key: `consents:${applicationId}`, requestsPerSecond: this.config.consentRateLimit },
      tolerate: [404],
    });
  }

  async getOrganization(customerId: string): Promise<Organization> {
    const orgs = (await this.send({
      method: "GET",
      url: guidPath`customers/${{ customerId }}/organization`,
      schema: organizationResponseSchema,
      operation: "read the organization profile",
      customerId,
      getAccessToken: this.anyToken,
      rateLimit: { key: "partnercenter", requestsPerSecond: this.config.requestRateLimit },
    }))!;
    return orgs[0];
  }

  /** links.next.uri comes absolute, or relative with or without the /v1 prefix. */
  private nextPageUrl(uri: string): string {
    if (/^https?:\/\//.test(uri)) return uri;
    const path = uri.replace(/^\/+/, "");
    return path.startsWith("v1/") ? `${this.baseUrl.replace(/\/v1$/, "")}/${path}` : path;
  }
}
