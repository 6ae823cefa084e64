/**
 * The model of the model-based test: the desired state, i.e. what each stack's program declares.
 * Small on purpose (3 customers, 2 stacks over the same customers, at most 4 users and 3 consents a
 * stack), so that a sequence of commands costs a handful of real `pulumi` runs.
 *
 * Everything is named by small indices (customer 0..2, user slot 1..4, alias 0..3, variants), so a
 * command list prints short and replays exactly; `toDesiredFile` turns it into what the program reads.
 */

export const stackCount = 2;
export const customerCount = 3;
export const userSlots = 4;
/** UPN aliases: a small pool, so that two stacks (or two slots) meet on the same UPN. */
export const aliases = ["ada", "bob", "cyd", "dee"] as const;
export const scopeVariants = [["User.Read.All"], ["User.Read.All", "Group.Read.All"], ["Directory.Read.All"]] as const;
export const consentNames = ["Model Control Panel", "Model Control Panel (renamed)"] as const;

/**
 * adopt: true on a declaration: take over the object if it exists at create time (README "Who owns
 * what"). Every kind the model declares has it (CustomerUser, ApplicationConsent and the three GDAP
 * resources, provider/resources/adoption.ts), so no kind is kept from it.
 */
interface Adoptable {
  adopt?: boolean;
}

export interface UserDecl extends Adoptable {
  kind: "user";
  customer: number;
  alias: number;
  /** displayName variant */
  name: number;
  /** password version: a password change is a new version */
  pw: number;
  /** immutableId variant; a change replaces the user */
  anchor?: number;
}

export interface ConsentDecl extends Adoptable {
  kind: "consent";
  customer: number;
  scopes: number;
  name: number;
}

/**
 * GDAP (issue 18). A stack declares at most one relationship per customer (`rel-c{customer}`), its
 * access assignments per partner group (`access-c{customer}-g{group}`, on that relationship) and
 * directory-role memberships of its users (`member-{slot}`, the user of that slot, in its customer).
 * The relationship's displayName has no stack in it, so two stacks declaring one meet on the service.
 */
export interface RelationshipDecl extends Adoptable {
  kind: "relationship";
  customer: number;
  /** roleDefinitionIds variant (relationshipRoleVariants); a change replaces a locked relationship */
  roles: number;
  /** autoExtendDuration P180D (updated in place) */
  extend: boolean;
  /** displayName variant; a change replaces a locked relationship */
  name: number;
}

export interface AccessDecl extends Adoptable {
  kind: "access";
  customer: number;
  group: number;
  /** roleDefinitionIds variant (accessRoleVariants), updated in place */
  roles: number;
}

export interface MemberDecl extends Adoptable {
  kind: "roleMember";
  /** always the customer of the user in `slot` (a program edit that moves the user moves it too) */
  customer: number;
  slot: number;
}

export type GdapDecl = RelationshipDecl | AccessDecl | MemberDecl;
export type Decl = UserDecl | ConsentDecl | GdapDecl;

/** The seed's partner security groups (emulator/seeds/default.json) that access assignments name. */
export const partnerGroupIds = ["1b7b0e7a-6c0d-4d6e-9d4b-2f3c1a9e5b01", "2c8c1f8b-7d1e-4e7f-8e5c-3a4d2b0f6c02"] as const;
/** Every variant holds Privileged Role Administrator (what a membership needs) and each access variant's roles. */
export const relationshipRoleVariants = [
  ["User Administrator", "Privileged Role Administrator"],
  ["User Administrator", "Privileged Role Administrator", "Global Reader"],
] as const;
/** Variant 0 gives what a membership needs; variant 1 does not. */
export const accessRoleVariants = [["User Administrator", "Privileged Role Administrator"], ["User Administrator"]] as const;
/** The directory role the model's memberships put a user in. */
export const memberRoleName = "User Administrator";
/** Relationships last one day, so that `oob.clock(+2 days)` ends the ones that do not auto-extend. */
export const relationshipDuration = "P1D";

export const relationshipName = (customer: number) => `rel-c${customer}`;
export const accessName = (customer: number, group: number) => `access-c${customer}-g${group}`;
export const memberName = (slot: number) => `member-${slot}`;
export const relationshipDisplayName = (d: RelationshipDecl) => `Model c${d.customer} v${d.name}`;
export const autoExtendDurationOf = (d: RelationshipDecl) => (d.extend ? "P180D" : "PT0S");

export interface StackModel {
  /** logical resource name -> declaration */
  resources: Record<string, Decl>;
}

export interface Model {
  stacks: StackModel[];
  /** Customers whose GDAP roles were cut (an out-of-band change the service accepted). */
  reducedGdap: Set<number>;
}

export function initialModel(): Model {
  return { stacks: Array.from({ length: stackCount }, () => ({ resources: {} })), reducedGdap: new Set() };
}

export const stackLabel = (s: number) => "AB"[s];
export const consentName = (customer: number) => `consent-c${customer}`;
export const userName = (slot: number) => `user-${slot}`;

export interface Customer {
  id: string;
  domain: string;
}

export const upnOf = (d: UserDecl, customers: Customer[]) => `${aliases[d.alias]}.model@${customers[d.customer].domain}`;

/** The password of a user declaration, derived from the sequence's secret salt (so the test knows every password it used). */
export const passwordParts = (d: UserDecl) => ({ prefix: `Mdl-${aliases[d.alias]}${d.pw}-`, suffix: "-aA1!" });
export const passwordOf = (d: UserDecl, salt: string) => `${passwordParts(d).prefix}${salt}${passwordParts(d).suffix}`;

/** The service object a declaration stands for: what two stacks can meet on. */
export function objectKey(d: Decl, customers: Customer[]): string {
  if (d.kind === "relationship") return `relationship ${relationshipDisplayName(d)}`;
  if (d.kind === "access") return `access ${customers[d.customer].id} g${d.group}`;
  if (d.kind === "roleMember") return `member ${customers[d.customer].id} slot${d.slot}`;
  return d.kind === "consent" ? `consent ${customers[d.customer].id}` : `user ${customers[d.customer].id} ${upnOf(d, customers).toLowerCase()}`;
}

/** What the program reads: the model's declarations with customers, UPNs and names spelled out, adopt: true on those that adopt. */
export function toDesiredFile(stack: StackModel, customers: Customer[], applicationId: string) {
  const resources: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(stack.resources))
    resources[name] = { ...spelledOut(d, customers, applicationId), ...(d.adopt ? { adopt: true } : {}) };
  return { resources };
}

function spelledOut(d: Decl, customers: Customer[], applicationId: string): Record<string, unknown> {
  if (d.kind === "relationship")
    return {
      kind: "relationship",
      customerId: customers[d.customer].id,
      displayName: relationshipDisplayName(d),
      duration: relationshipDuration,
      roles: [...relationshipRoleVariants[d.roles]],
      autoExtendDuration: autoExtendDurationOf(d),
    };
  if (d.kind === "access")
    return { kind: "access", relationship: relationshipName(d.customer), securityGroupId: partnerGroupIds[d.group], roles: [...accessRoleVariants[d.roles]] };
  if (d.kind === "roleMember") return { kind: "roleMember", customerId: customers[d.customer].id, user: userName(d.slot), roleName: memberRoleName };
  if (d.kind === "consent")
    return { kind: "consent", customerId: customers[d.customer].id, applicationId, displayName: consentNames[d.name], scopes: [...scopeVariants[d.scopes]] };
  const { prefix, suffix } = passwordParts(d);
  return {
    kind: "user",
    customerId: customers[d.customer].id,
    userPrincipalName: upnOf(d, customers),
    displayName: `Model ${aliases[d.alias]} ${d.name}`,
    passwordPrefix: prefix,
    passwordSuffix: suffix,
    ...(d.anchor !== undefined ? { immutableId: `model-anchor-${d.anchor}` } : {}),
  };
}
