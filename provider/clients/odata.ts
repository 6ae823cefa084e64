/**
 * Checks OData query options of the delegated-admin API before anything is sent, so a typo or an
 * injection attempt in a stack's filter is a clear error at preview rather than a 400 mid-rollout.
 */
import { delegatedAdminCustomerSchema } from "./schemas";

/** The fields of a delegated-admin customer (what `$filter` and `$select` may name): those of its wire schema. */
export const delegatedAdminFields = delegatedAdminCustomerSchema.keyof().options;
export const delegatedAdminOrderByFields = ["organizationDisplayName", "dapEnabled", "startDateTime", "lastSignInDateTime"] as const;
export const maxTop = 300;

export class ODataOptionError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}

const tokenPattern =
  // OData's whitespace is spaces and tabs (and line breaks here); not \s, which also takes U+FEFF and
  // other Unicode spaces that the service reads as part of a name.
  /[ \t\r\n]*(?:(\()|(\))|('(?:[^']|'')*')|(\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2})?)|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*))/y;

type Token = { kind: "(" | ")" | "string" | "datetime" | "number" | "word"; text: string };

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  let pos = 0;
  while (pos < filter.length) {
    if (/^[ \t\r\n]*$/.test(filter.slice(pos))) break;
    tokenPattern.lastIndex = pos;
    const m = tokenPattern.exec(filter);
    if (!m)
      throw new ODataOptionError(
        "filter",
        `filter: unexpected text at position ${pos + 1}: '${filter.slice(pos, pos + 20)}'. Use field op value, e.g. dapEnabled eq false and organizationDisplayName ne 'Contoso'.`,
      );
    pos = tokenPattern.lastIndex;
    if (m[1]) tokens.push({ kind: "(", text: "(" });
    else if (m[2]) tokens.push({ kind: ")", text: ")" });
    else if (m[3]) tokens.push({ kind: "string", text: m[3] });
    else if (m[4]) tokens.push({ kind: "datetime", text: m[4] });
    else if (m[5]) tokens.push({ kind: "number", text: m[5] });
    else tokens.push({ kind: "word", text: m[6] });
  }
  return tokens;
}

const comparisons = new Set(["eq", "ne", "gt", "lt", "ge", "le"]);

/** filter := term (("and"|"or") term)* ; term := "not"? ( "(" filter ")" | field op literal ) */
export function validateFilter(filter: string): void {
  if (filter.length > 2000) throw new ODataOptionError("filter", "filter: longer than 2000 characters.");
  const tokens = tokenize(filter);
  let i = 0;
  const fail = (what: string): never => {
    throw new ODataOptionError(
      "filter",
      `filter: ${what} (in '${filter}'). Fields: ${delegatedAdminFields.join(", ")}; operators: eq, ne, gt, lt, ge, le, and, or, not.`,
    );
  };
  const term = (): void => {
    if (tokens[i]?.kind === "word" && tokens[i].text === "not") i++;
    if (tokens[i]?.kind === "(") {
      i++;
      expr();
      if (tokens[i]?.kind !== ")") fail("a '(' is not closed");
      i++;
      return;
    }
    const field = tokens[i++];
    if (!field || field.kind !== "word" || !(delegatedAdminFields as readonly string[]).includes(field.text)) {
      fail(`'${field?.text ?? "end of filter"}' is not a field of delegatedAdminCustomers`);
    }
    const op = tokens[i++];
    if (!op || op.kind !== "word" || !comparisons.has(op.text)) fail(`expected an operator after ${field.text}, found '${op?.text ?? "end of filter"}'`);
    const value = tokens[i++];
    const literal =
      value &&
      (value.kind === "string" ||
        value.kind === "datetime" ||
        value.kind === "number" ||
        (value.kind === "word" && ["true", "false", "null"].includes(value.text)));
    if (!literal) fail(`expected a value after '${field.text} ${op.text}', found '${value?.text ?? "end of filter"}' (quote strings: 'Contoso')`);
  };
  const expr = (): void => {
    term();
    while (tokens[i]?.kind === "word" && (tokens[i].text === "and" || tokens[i].text === "or")) {
      i++;
      term();
    }
  };
  if (tokens.length === 0) fail("it is empty");
  expr();
  if (i < tokens.length) fail(`unexpected '${tokens[i].text}'`);
}

/** The options of `getDelegatedAdminCustomers` (the SDK's argument type is this one). */
export interface DelegatedAdminQuery {
  /** OData filter, e.g. `dapEnabled eq false and organizationDisplayName ne 'Fabrikam'`. Checked before sending. */
  filter?: string;
  /** `organizationDisplayName`, `dapEnabled`, `startDateTime` or `lastSignInDateTime`, optionally `asc`/`desc`. */
  orderBy?: string;
  /** Only these fields. */
  select?: string[];
  /** At most this many customers (1-300, the service's page limit). Default: all. */
  top?: number;
  skip?: number;
  /** Ask the service for the total count. */
  count?: boolean;
}

/** Validates the options and returns them as OData query parameters. */
export function toODataQuery(q: DelegatedAdminQuery): Record<string, string | undefined> {
  // A program written in JavaScript (or fed from JSON config) can pass anything: check the types first,
  // so that null or an object is a message naming the option rather than a TypeError.
  if (q.filter !== undefined && typeof q.filter !== "string") throw new ODataOptionError("filter", `filter: must be a string, got ${describe(q.filter)}.`);
  if (q.orderBy !== undefined && typeof q.orderBy !== "string") throw new ODataOptionError("orderBy", `orderBy: must be a string, got ${describe(q.orderBy)}.`);
  if (q.filter !== undefined) validateFilter(q.filter);
  if (q.orderBy !== undefined) {
    const m = /^[ \t]*([A-Za-z]+)(?:[ \t]+(asc|desc))?[ \t]*$/.exec(q.orderBy);
    if (!m || !(delegatedAdminOrderByFields as readonly string[]).includes(m[1])) {
      throw new ODataOptionError(
        "orderBy",
        `orderBy: '${q.orderBy}' is not allowed. Use one of ${delegatedAdminOrderByFields.join(", ")}, optionally followed by asc or desc.`,
      );
    }
  }
  if (q.select !== undefined) {
    if (!Array.isArray(q.select) || q.select.length === 0) throw new ODataOptionError("select", "select: give a non-empty list of field names.");
    for (const f of q.select) {
      if (!(delegatedAdminFields as readonly string[]).includes(f)) {
        throw new ODataOptionError(
          "select",
          `select: '${typeof f === "string" ? f : describe(f)}' is not a field of delegatedAdminCustomers. Fields: ${delegatedAdminFields.join(", ")}.`,
        );
      }
    }
  }
  if (q.top !== undefined && !(Number.isInteger(q.top) && q.top >= 1 && q.top <= maxTop)) {
    throw new ODataOptionError(
      "top",
      `top: must be a whole number from 1 to ${maxTop} (the service's maximum), got ${typeof q.top === "number" ? q.top : describe(q.top)}.`,
    );
  }
  if (q.skip !== undefined && !(Number.isInteger(q.skip) && q.skip >= 0)) {
    throw new ODataOptionError("skip", `skip: must be a whole number of at least 0, got ${typeof q.skip === "number" ? q.skip : describe(q.skip)}.`);
  }
  if (q.count !== undefined && typeof q.count !== "boolean") throw new ODataOptionError("count", "count: must be true or false.");
  return {
    $filter: q.filter,
    // Spelled as the delegated-admin customers page spells it (the service matches options case-insensitively).
    $orderBy: q.orderBy?.trim(),
    $select: q.select?.join(","),
    $top: q.top?.toString(),
    $skip: q.skip?.toString(),
    $count: q.count === undefined ? undefined : String(q.count),
  };
}

function describe(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "a list" : typeof value;
}
