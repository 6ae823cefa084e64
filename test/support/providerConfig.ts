/**
 * For tests that drive the provider's clients in-process against an emulator: its configuration as
 * the provider would load it, and the PartnerCenterError a call is expected to fail with.
 */
import { loadConfig, ProviderConfig } from "../../provider/config";
import { isPartnerCenterError, PartnerCenterError } from "../../provider/errors";
import type { EmulatorConnection } from "./stackConfig";

export function providerConfigFor(emu: EmulatorConnection, overrides: Record<string, string | undefined> = {}): ProviderConfig {
  const values: Record<string, string | undefined> = {
    clientId: emu.credentials.clientId,
    tenantId: emu.credentials.partnerTenantId,
    clientSecret: emu.credentials.clientSecret,
    refreshToken: emu.credentials.refreshToken,
    authorityHost: emu.endpoints.authorityHost,
    partnerCenterUrl: emu.endpoints.partnerCenter,
    delegatedAdminUrl: emu.endpoints.delegatedAdmin,
    graphUrl: emu.endpoints.graph,
    caFile: emu.caFile,
    maxRetries: "4",
    ...overrides,
  };
  return loadConfig((k) => values[k], {});
}

export async function failure(p: Promise<unknown>): Promise<PartnerCenterError> {
  try {
    await p;
  } catch (err) {
    if (isPartnerCenterError(err)) return err;
    throw err;
  }
  throw new Error("expected a PartnerCenterError");
}
