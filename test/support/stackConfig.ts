/**
 * Stack configuration for programs that talk to a running emulator: the partnercenter:* keys a user
 * would set (secrets as secrets), filled from the emulator's handle.
 */
import type { Stack } from "@pulumi/pulumi/automation";

export interface EmulatorConnection {
  caFile: string;
  endpoints: { authorityHost: string; partnerCenter: string; delegatedAdmin: string; graph: string; admin: string };
  credentials: { partnerTenantId: string; clientId: string; clientSecret: string; refreshToken: string; controlPanelApplicationId: string };
}

export function partnerCenterConfig(emu: EmulatorConnection): Record<string, { value: string; secret?: boolean }> {
  return {
    "partnercenter:clientId": { value: emu.credentials.clientId },
    "partnercenter:tenantId": { value: emu.credentials.partnerTenantId },
    "partnercenter:clientSecret": { value: emu.credentials.clientSecret, secret: true },
    "partnercenter:refreshToken": { value: emu.credentials.refreshToken, secret: true },
    "partnercenter:authorityHost": { value: emu.endpoints.authorityHost },
    "partnercenter:partnerCenterUrl": { value: emu.endpoints.partnerCenter },
    "partnercenter:delegatedAdminUrl": { value: emu.endpoints.delegatedAdmin },
    "partnercenter:graphUrl": { value: emu.endpoints.graph },
    "partnercenter:caFile": { value: emu.caFile },
  };
}

export async function configureForEmulator(stack: Stack, emu: EmulatorConnection, extra: Record<string, { value: string; secret?: boolean }> = {}) {
  await stack.setAllConfig({ ...partnerCenterConfig(emu), ...extra });
}
