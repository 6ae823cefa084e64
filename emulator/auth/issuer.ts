import { createHash, createPrivateKey, createPublicKey, KeyObject } from "crypto";
import { exportJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from "jose";
import type { Clock } from "../clock";
import { newGuid } from "../ids";

/** A key that signs JWTs and publishes itself as a JWKS, identified by `kid` = its thumbprint. */
export class SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly kid: string;

  constructor(privateKeyPem: string) {
    this.privateKey = createPrivateKey(privateKeyPem);
    this.publicKey = createPublicKey(this.privateKey);
    this.kid = createHash("sha256")
      .update(this.publicKey.export({ type: "spki", format: "der" }))
      .digest("base64url")
      .slice(0, 27);
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    const jwk = await exportJWK(this.publicKey);
    return { keys: [{ ...jwk, kid: this.kid, use: "sig", alg: "RS256", kty: "RSA" }] };
  }

  sign(claims: JWTPayload & Record<string, unknown>, typ = "JWT"): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ, kid: this.kid }).sign(this.privateKey);
  }
}

export interface AccessTokenRequest {
  tenantId: string;
  clientId: string;
  resource: string;
  roles?: string[];
  /** Present for App+User tokens. */
  user?: { id: string; upn: string; name: string; scp: string };
}

/** Issues the access and id tokens of the emulated Entra ID (RS256, `kid` in the header). */
export class TokenIssuer {
  constructor(
    readonly key: SigningKey,
    private readonly clock: Clock,
    private readonly baseUrl: string,
    private readonly lifetimeSeconds: () => number,
  ) {}

  /** v1-style issuer, as Partner Center and Graph tokens carry it. */
  static accessIssuer(tenantId: string): string {
    return `https://sts.windows.net/${tenantId}/`;
  }

  idIssuer(tenantId: string): string {
    return `${this.baseUrl}/${tenantId}/v2.0`;
  }

  async accessToken(req: AccessTokenRequest): Promise<{ token: string; expiresIn: number }> {
    const now = this.clock.nowSeconds();
    const expiresIn = this.lifetimeSeconds();
    const claims: JWTPayload & Record<string, unknown> = {
      aud: req.resource,
      iss: TokenIssuer.accessIssuer(req.tenantId),
      iat: now,
      nbf: now,
      exp: now + expiresIn,
      tid: req.tenantId,
      appid: req.clientId,
      azp: req.clientId,
      appidacr: "1",
      ver: "1.0",
      uti: newGuid(),
      idtyp: req.user ? "user" : "app",
    };
    if (req.user) {
      Object.assign(claims, { oid: req.user.id, sub: req.user.id, upn: req.user.upn, unique_name: req.user.upn, name: req.user.name, scp: req.user.scp });
    } else {
      // App-only: the service principal of the client in the token's tenant.
      Object.assign(claims, { oid: req.clientId, sub: req.clientId, roles: req.roles ?? [] });
    }
    return { token: await this.key.sign(claims), expiresIn };
  }

  idToken(tenantId: string, clientId: string, user: { id: string; upn: string; name: string }): Promise<string> {
    const now = this.clock.nowSeconds();
    return this.key.sign({
      aud: clientId,
      iss: this.idIssuer(tenantId),
      iat: now,
      nbf: now,
      exp: now + this.lifetimeSeconds(),
      tid: tenantId,
      oid: user.id,
      sub: user.id,
      preferred_username: user.upn,
      name: user.name,
      ver: "2.0",
    });
  }

  /** Verifies signature, lifetime (emulator clock) and audience; throws jose errors the caller maps. */
  async verify(token: string, audience: string): Promise<JWTPayload & Record<string, unknown>> {
    const { payload } = await jwtVerify(token, this.key.publicKey, {
      algorithms: ["RS256"],
      audience,
      currentDate: this.clock.now(),
    });
    return payload as JWTPayload & Record<string, unknown>;
  }
}
