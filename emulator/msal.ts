import { instanceDiscovery, openIdConfiguration } from "./auth/discovery";

/**
 * The msal-node settings that keep MSAL entirely on the emulator: the authority is trusted
 * (`knownAuthorities`) and both discovery documents are given inline, so MSAL makes no discovery
 * call at all. Pass the CA through a `system.networkClient` (msal-node 7 has no `customAgentOptions`).
 */
export function msalAuthorityOptions(url: string, tenantId: string) {
  const host = new URL(url).host;
  return {
    authority: `${url}/${tenantId}`,
    knownAuthorities: [host],
    authorityMetadata: JSON.stringify(openIdConfiguration(url, tenantId)),
    cloudDiscoveryMetadata: JSON.stringify(instanceDiscovery(url)),
  };
}
