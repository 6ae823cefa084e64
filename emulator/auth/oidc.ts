import { jwtVerify, type JWTPayload } from "jose";
import type { Clock } from "../clock";
import { newGuid } from "../ids";
import type { SigningKey } from "./issuer";

export const defaultFederatedAudience = "api://AzureADTokenExchange";

/**
 * The emulator's own OpenID Connect issuer, standing in for GitHub Actions (or any workload
 * identity provider): it mints the tokens an app's federated credential trusts.
 */
export class OidcIssuer {
  constructor(
    readonly key: SigningKey,
    private readonly clock: Clock,
    readonly issuer: string,
  ) {}

  discovery(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      jwks_uri: `${this.issuer}/keys`,
      token_endpoint: `${this.issuer}/token`,
      response_types_supported: ["id_token"],
      subject_types_supported: ["public", "pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      claims_supported: ["sub", "aud", "exp", "iat", "iss", "jti", "nbf"],
    };
  }

  async issue(subject: string, audience = defaultFederatedAudience, lifetimeSeconds = 600): Promise<{ token: string; expiresIn: number }> {
    const now = this.clock.nowSeconds();
    const token = await this.key.sign({ iss: this.issuer, sub: subject, aud: audience, iat: now, nbf: now, exp: now + lifetimeSeconds, jti: newGuid() });
    return { token, expiresIn: lifetimeSeconds };
  }

  async verify(token: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, this.key.publicKey, { algorithms: ["RS256"], issuer: this.issuer, currentDate: this.clock.now() });
    return payload;
  }
}
