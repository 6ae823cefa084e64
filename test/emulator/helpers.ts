import { Agent, request } from "undici";
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from "../../emulator";

export const resources = {
  partnerCenter: "https://api.partnercenter.microsoft.com",
  delegatedAdmin: "https://api.partnercustomeradministration.microsoft.com",
  graph: "https://graph.microsoft.com",
};

/** Customers of the default seed, by what they are good for in tests. */
export const customers = {
  /** User Administrator + Cloud Application Administrator + Global Reader; has users (one soft-deleted). */
  contoso: "0d4e389b-0ab8-5563-abe8-dd9ac0c47a80",
};

export interface Reply {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

/** A started emulator plus an HTTP client that trusts only its CA, and token helpers. */
export class TestEmulator {
  readonly agent: Agent;

  private constructor(readonly emu: EmulatorHandle) {
    this.agent = new Agent({ connect: { ca: emu.caPem } });
  }

  static async start(options: EmulatorOptions = {}): Promise<TestEmulator> {
    return new TestEmulator(await startEmulator({ port: 0, ...options }));
  }

  async stop(): Promise<void> {
    await this.agent.close();
    await this.emu.stop();
  }

  get creds() {
    return this.emu.credentials;
  }

  async http(
    method: string,
    url: string,
    opts: { token?: string; body?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { accept: "application/json", ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(opts.form).toString();
    } else if (opts.body !== undefined) {
      headers["content-type"] ??= "application/json";
      body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    }
    const res = await request(url, { method: method as "GET", headers, body, dispatcher: this.agent });
    const text = await res.body.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, headers: res.headers as Record<string, string>, text, json };
  }

  tokenUrl(tenant = this.creds.partnerTenantId): string {
    return `${this.emu.url}/${tenant}/oauth2/v2.0/token`;
  }

  async token(form: Record<string, string>, tenant?: string): Promise<Reply> {
    return this.http("POST", this.tokenUrl(tenant), { form });
  }

  /** App-only token (client secret) for a resource, in the partner tenant unless told otherwise. */
  async appToken(resource: string, tenant?: string): Promise<string> {
    const r = await this.token(
      { grant_type: "client_credentials", client_id: this.creds.clientId, client_secret: this.creds.clientSecret, scope: `${resource}/.default` },
      tenant,
    );
    if (r.status !== 200) throw new Error(`token failed: ${r.text}`);
    return r.json.access_token;
  }

  /** App+User token from the seeded partner user's refresh token. */
  async userToken(resource: string, tenant?: string): Promise<string> {
    const r = await this.token(
      {
        grant_type: "refresh_token",
        client_id: this.creds.clientId,
        client_secret: this.creds.clientSecret,
        refresh_token: this.creds.refreshToken,
        scope: `${resource}/.default openid profile offline_access`,
      },
      tenant,
    );
    if (r.status !== 200) throw new Error(`token failed: ${r.text}`);
    return r.json.access_token;
  }

  pc(path: string): string {
    return `${this.emu.endpoints.partnerCenter}/v1${path}`;
  }
}
