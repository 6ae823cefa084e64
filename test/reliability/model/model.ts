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

export interface UserDecl {
  kind: "user";
  customer: number;
  alias: number;
  /** displayName variant */
  name: number;
  /** password version: a password change is a new version */
  pw: number;
  /** immutableId variant; a change replaces the user */
  anchor?: number;
  adopt?: boolean;
}

export interface ConsentDecl {
  kind: "consent";
  customer: number;
  scopes: number;
  name: number;
}

export type Decl = UserDecl | ConsentDecl;

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
  return d.kind === "consent" ? `consent ${customers[d.customer].id}` : `user ${customers[d.customer].id} ${upnOf(d, customers).toLowerCase()}`;
}

/** What the program reads: the model's declarations with customers, UPNs and names spelled out. */
export function toDesiredFile(stack: StackModel, customers: Customer[], applicationId: string) {
  const resources: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(stack.resources)) {
    if (d.kind === "consent") {
      resources[name] = { kind: "consent", customerId: customers[d.customer].id, applicationId, displayName: consentNames[d.name], scopes: [...scopeVariants[d.scopes]] };
    } else {
      const { prefix, suffix } = passwordParts(d);
      resources[name] = {
        kind: "user",
        customerId: customers[d.customer].id,
        userPrincipalName: upnOf(d, customers),
        displayName: `Model ${aliases[d.alias]} ${d.name}`,
        passwordPrefix: prefix,
        passwordSuffix: suffix,
        ...(d.anchor !== undefined ? { immutableId: `model-anchor-${d.anchor}` } : {}),
        ...(d.adopt ? { adopt: true } : {}),
      };
    }
  }
  return { resources };
}
