/**
 * Microsoft Entra built-in roles by name and role template id (the `roleDefinitionId` GDAP's
 * `unifiedRoles` take). The ids are the same in every tenant (Entra's "built-in roles" page); the
 * names are Entra's current ones (Partner Center's older "Company Administrator" is Global Administrator).
 */
export const builtInRoles = {
  "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
  "Global Reader": "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
  "User Administrator": "fe930be7-5e62-47db-91af-98c3a49a38b1",
  "Privileged Role Administrator": "e8611ab8-c189-46e8-94e1-60213ab1f814",
  "Privileged Authentication Administrator": "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
  "Application Administrator": "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
  "Cloud Application Administrator": "158c047a-c907-4556-b7ef-446551a6b5f7",
  "Directory Writers": "9360feb5-f418-4baa-8175-e2a00bac4301",
  "Directory Readers": "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
  "Helpdesk Administrator": "729827e3-9c14-49f7-bb1b-9608f156bbb8",
  "Security Administrator": "194ae4cb-b126-40b2-bd5b-6091b380977d",
  "Security Reader": "5d6b6bb7-de71-4623-b4af-96380a352509",
  "Exchange Administrator": "29232cdf-9323-42fd-ade2-1d097af3e4de",
  "SharePoint Administrator": "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
  "Teams Administrator": "69091246-20e8-4a56-aa4d-066075b2a7a8",
  "License Administrator": "4d6ac14f-3453-41d0-bef9-a3e0c569773a",
  "Billing Administrator": "b0f54661-2d74-4c50-afa3-1ec803f12efe",
  "Service Support Administrator": "f023fd81-a637-4b56-95fd-791ac0226033",
  "Intune Administrator": "3a2c62db-5318-420d-8d74-23affee5d9d5",
  "Authentication Administrator": "c4e39bd9-1100-46d3-8c65-fb160da0071f",
} as const;

export type BuiltInRoleName = keyof typeof builtInRoles;

const nameById = new Map<string, BuiltInRoleName>(Object.entries(builtInRoles).map(([name, id]) => [id, name as BuiltInRoleName]));

/** The built-in role's name for a role template id, or undefined for a custom or unknown role. */
export function builtInRoleName(roleDefinitionId: string): BuiltInRoleName | undefined {
  return nameById.get(roleDefinitionId.toLowerCase());
}
