/**
 * A small OData v4 `$filter` subset shared by the delegated-admin API and Graph: comparisons
 * (eq ne gt ge lt le) of a property with a literal, joined by and / or / not and parentheses.
 * Errors are thrown as ODataError with a message that names the problem.
 */
export type FieldType = "string" | "number" | "boolean" | "datetime";
export type Fields = Record<string, FieldType>;
type Value = string | number | boolean | null;

export class ODataError extends Error {}

/**
 * Nesting bound of a `$filter` (parentheses and `not`): Microsoft.OData's default filter recursion
 * limit, so a hostile 5000-deep filter is a 400 like on the service, not a stack overflow.
 */
export const maxFilterDepth = 800;

type Token = { kind: "ident" | "string" | "number" | "datetime" | "op" | "lparen" | "rparen"; text: string };

const tokenPattern = /\s*(?:(\()|(\))|'((?:[^']|'')*)'|(\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2})?)|(-?\d+(?:\.\d+)?)(?![\w-])|([A-Za-z_][\w/]*))/y;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  let pos = 0;
  while (pos < input.length) {
    if (/^\s*$/.test(input.slice(pos))) break;
    tokenPattern.lastIndex = pos;
    const m = tokenPattern.exec(input);
    if (!m) throw new ODataError(`Syntax error at position ${pos} in '${input}'.`);
    pos = tokenPattern.lastIndex;
    if (m[1]) tokens.push({ kind: "lparen", text: "(" });
    else if (m[2]) tokens.push({ kind: "rparen", text: ")" });
    else if (m[3] !== undefined) tokens.push({ kind: "string", text: m[3].replace(/''/g, "'") });
    else if (m[4]) tokens.push({ kind: "datetime", text: m[4] });
    else if (m[5]) tokens.push({ kind: "number", text: m[5] });
    else if (m[6]) {
      const lower = m[6].toLowerCase();
      const isOp = ["eq", "ne", "gt", "ge", "lt", "le", "and", "or", "not"].includes(lower);
      tokens.push({ kind: isOp ? "op" : "ident", text: isOp ? lower : m[6] });
    }
  }
  return tokens;
}

export type Predicate<T> = (row: T) => boolean;

export function parseFilter<T extends Record<string, unknown>>(input: string, fields: Fields): Predicate<T> {
  const tokens = tokenize(input);
  let i = 0;
  const peek = () => tokens[i];
  const fail = (what: string): never => {
    throw new ODataError(`Syntax error: ${what} at token ${i + 1} ('${peek()?.text ?? "end of input"}') in '${input}'.`);
  };

  // and/or chains are kept flat, so evaluating a long chain does not recurse once per term.
  const orExpr = (depth: number): Predicate<T> => {
    const terms = [andExpr(depth)];
    while (peek()?.kind === "op" && peek().text === "or") {
      i++;
      terms.push(andExpr(depth));
    }
    return terms.length === 1 ? terms[0] : (row) => terms.some((p) => p(row));
  };
  const andExpr = (depth: number): Predicate<T> => {
    const terms = [unary(depth)];
    while (peek()?.kind === "op" && peek().text === "and") {
      i++;
      terms.push(unary(depth));
    }
    return terms.length === 1 ? terms[0] : (row) => terms.every((p) => p(row));
  };
  const unary = (depth: number): Predicate<T> => {
    if (depth > maxFilterDepth) throw new ODataError(`Recursion depth exceeded allowed limit: a $filter nests at most ${maxFilterDepth} levels.`);
    if (peek()?.kind === "op" && peek().text === "not") {
      i++;
      const inner = unary(depth + 1);
      return (row) => !inner(row);
    }
    if (peek()?.kind === "lparen") {
      i++;
      const inner = orExpr(depth + 1);
      if (peek()?.kind !== "rparen") fail("expected ')'");
      i++;
      return inner;
    }
    return comparison();
  };
  const comparison = (): Predicate<T> => {
    const field = peek();
    if (field?.kind !== "ident") fail("expected a property name");
    const type = lookup(fields, field.text);
    i++;
    const op = peek();
    if (op?.kind !== "op" || !["eq", "ne", "gt", "ge", "lt", "le"].includes(op.text)) fail("expected a comparison operator (eq, ne, gt, ge, lt, le)");
    i++;
    const literal = literalValue(peek(), type, field.text) ?? fail("expected a literal");
    i++;
    const name = canonical(fields, field.text) as string;
    return (row) => compare(row[name] as Value, op.text, literal.value, type);
  };

  if (tokens.length === 0) throw new ODataError("The $filter expression is empty.");
  const predicate = orExpr(0);
  if (i < tokens.length) fail("unexpected token");
  return predicate;
}

/** The declared spelling of a property; undefined for anything not declared (`__proto__` included). */
function canonical(fields: Fields, name: string): string | undefined {
  return Object.keys(fields).find((f) => f.toLowerCase() === name.toLowerCase());
}

function lookup(fields: Fields, name: string): FieldType {
  const field = canonical(fields, name);
  const type = field === undefined ? undefined : fields[field];
  if (!type) throw new ODataError(`Could not find a property named '${name}'. Filterable properties: ${Object.keys(fields).join(", ")}.`);
  return type;
}

const edm: Record<string, string> = { string: "Edm.String", number: "Edm.Int32", boolean: "Edm.Boolean", datetime: "Edm.DateTimeOffset", null: "null" };

function literalValue(tok: Token | undefined, type: FieldType, field: string): { value: Value } | undefined {
  if (!tok) return undefined;
  const mismatch = (found: string) =>
    new ODataError(`A binary operator with incompatible types was detected. Found operand types '${edm[type]}' ('${field}') and '${edm[found]}'.`);
  if (tok.kind === "ident" && tok.text.toLowerCase() === "null") return { value: null };
  if (tok.kind === "ident" && /^(true|false)$/i.test(tok.text)) {
    if (type !== "boolean") throw mismatch("boolean");
    return { value: tok.text.toLowerCase() === "true" };
  }
  if (tok.kind === "number") {
    if (type !== "number") throw mismatch("number");
    return { value: Number(tok.text) };
  }
  if (tok.kind === "datetime") {
    if (type !== "datetime") throw mismatch("datetime");
    return { value: tok.text };
  }
  if (tok.kind === "string") {
    if (type === "datetime" && !Number.isNaN(Date.parse(tok.text))) return { value: tok.text };
    if (type !== "string") throw mismatch("string");
    return { value: tok.text };
  }
  return undefined;
}

function compare(actual: Value, op: string, expected: Value, type: FieldType): boolean {
  if (actual === null || actual === undefined || expected === null) {
    const bothNull = (actual ?? null) === expected;
    return op === "eq" ? bothNull : op === "ne" ? !bothNull : false;
  }
  const [a, b] =
    type === "datetime"
      ? [Date.parse(String(actual)), Date.parse(String(expected))]
      : type === "string"
        ? [String(actual).toLowerCase(), String(expected).toLowerCase()]
        : [actual, expected];
  switch (op) {
    case "eq":
      return a === b;
    case "ne":
      return a !== b;
    case "gt":
      return a > b;
    case "ge":
      return a >= b;
    case "lt":
      return a < b;
    default:
      return a <= b;
  }
}

/** `$orderBy=a desc,b` -> a comparator; nulls sort first ascending, as OData does. */
export function parseOrderBy<T extends Record<string, unknown>>(input: string, allowed: Fields): (x: T, y: T) => number {
  const keys = input.split(",").map((part) => {
    const [name, dir = "asc", ...rest] = part.trim().split(/\s+/);
    if (!name || rest.length || !/^(asc|desc)$/i.test(dir)) throw new ODataError(`Invalid $orderBy clause '${part.trim()}': expected '<property> [asc|desc]'.`);
    const field = canonical(allowed, name);
    if (field === undefined)
      throw new ODataError(`The property '${name}' cannot be used in the $orderBy query option. Allowed: ${Object.keys(allowed).join(", ")}.`);
    return { field, type: allowed[field], sign: dir.toLowerCase() === "desc" ? -1 : 1 };
  });
  return (x, y) => {
    for (const k of keys) {
      const a = x[k.field] as Value,
        b = y[k.field] as Value;
      if (a === b) continue;
      if (a === null || a === undefined) return -k.sign;
      if (b === null || b === undefined) return k.sign;
      const [p, q] =
        k.type === "datetime"
          ? [Date.parse(String(a)), Date.parse(String(b))]
          : k.type === "string"
            ? [String(a).toLowerCase(), String(b).toLowerCase()]
            : [Number(a), Number(b)];
      if (p < q) return -k.sign;
      if (p > q) return k.sign;
    }
    return 0;
  };
}

/** `$select=a,b` -> the listed properties (validated against what exists). */
export function parseSelect(input: string, available: string[]): string[] {
  return input.split(",").map((s) => {
    const name = s.trim();
    const match = available.find((a) => a.toLowerCase() === name.toLowerCase());
    if (!match) throw new ODataError(`Could not find a property named '${name}' for $select. Available: ${available.join(", ")}.`);
    return match;
  });
}

export function pick(row: Record<string, unknown>, fields: string[] | undefined): Record<string, unknown> {
  if (!fields) return row;
  return Object.fromEntries(fields.map((f) => [f, row[f]]));
}

/** Reads an OData query option under either spelling ($orderby / $orderBy). */
export function option(query: URLSearchParams, name: string): string | null {
  for (const [k, v] of query) if (k.toLowerCase() === name.toLowerCase()) return v;
  return null;
}
