/**
 * Writes the `partnercenter` package schema (dist/provider/native/schema.json, which the plugin's
 * GetSchema answers) from the declarations: the types provider/native/schemaTypes.ts names, read with
 * the TypeScript compiler, so each property's type, optionality and TSDoc come from the zod shape (or
 * the data source's result type) where the field is declared once. The configuration comes from
 * provider/config.ts's key table. `npm run build` runs this; test/unit/schema.test.ts checks the result
 * against the zod shapes at run time.
 *
 *   node dist/scripts/generate-schema.js [out.json]
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { configKeys, secretConfigKeys } from "../provider/config";
import { packageName, resources, token } from "../provider/native/resources";

const repo = path.resolve(__dirname, "..", ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? [".."] : []));

type Spec = Record<string, unknown>;
interface ObjectSpec {
  properties: Record<string, Spec>;
  required: string[];
}

/** The schema from the declarations (exported for the unit test). */
export function generateSchema(): Spec {
  const file = path.join(repo, "provider", "native", "schemaTypes.ts");
  const program = ts.createProgram([file], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const types: Record<string, Spec> = {};

  const doc = (symbol: ts.Symbol) => ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
  const pascal = (s: string) => s[0].toUpperCase() + s.slice(1);

  /**
   * The name a shape is declared under: the zod fields object (`applicationGrantFields`), the
   * `z.object` schema (`domainSchema`) or the interface its first property is declared in.
   */
  function declaredName(type: ts.Type): string | undefined {
    let node: ts.Node | undefined = type.getProperties()[0]?.declarations?.[0]?.parent;
    if (node && ts.isInterfaceDeclaration(node)) return node.name.text;
    if (node && ts.isObjectLiteralExpression(node)) node = ts.isCallExpression(node.parent) ? node.parent.parent : node.parent;
    if (node && ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) return pascal(node.name.text.replace(/(Fields|Schema)$/, ""));
    return undefined;
  }

  /** A named object type (Pulumi's types are referenced by token), named as it is declared, else after where it is used. */
  function objectType(type: ts.Type, fallbackName: string): Spec {
    const name = declaredName(type) ?? fallbackName;
    const spec = { type: "object", ...objectSpec(type, name) };
    // Two different shapes under one name: the second is named after where it is used.
    const taken = (n: string) => types[token(n)] && JSON.stringify(types[token(n)]) !== JSON.stringify(spec);
    return ref(taken(name) ? (taken(fallbackName) ? `${fallbackName}${Object.keys(types).length}` : fallbackName) : name, spec);
  }
  function ref(name: string, spec: Spec): Spec {
    types[token(name)] = spec;
    return { $ref: `#/types/${token(name)}` };
  }

  function propertyType(type: ts.Type, where: string): Spec {
    const parts = type.isUnion() ? type.types : [type];
    const present = parts.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)));
    if (present.length === 0) return { $ref: "pulumi.json#/Any" };
    if (present.every((t) => t.flags & ts.TypeFlags.BooleanLike)) return { type: "boolean" };
    if (present.every((t) => t.flags & ts.TypeFlags.StringLike)) return { type: "string" };
    if (present.every((t) => t.flags & ts.TypeFlags.NumberLike)) return { type: "number" };
    if (present.length > 1) return { $ref: "pulumi.json#/Any" };
    const t = present[0];
    if (checker.isArrayType(t)) return { type: "array", items: propertyType(checker.getTypeArguments(t as ts.TypeReference)[0], where) };
    const index = checker.getIndexInfoOfType(t, ts.IndexKind.String);
    if (index && t.getProperties().length === 0) return { type: "object", additionalProperties: propertyType(index.type, where) };
    if (t.flags & ts.TypeFlags.Object) return objectType(t, where);
    return { $ref: "pulumi.json#/Any" };
  }

  function objectSpec(type: ts.Type, owner: string): ObjectSpec {
    const properties: Record<string, Spec> = {};
    const required: string[] = [];
    for (const p of checker.getPropertiesOfType(type)) {
      const t = checker.getTypeOfSymbol(p);
      // Optional, or possibly null or undefined: not always there, so not required.
      const optional = (p.flags & ts.SymbolFlags.Optional) !== 0 || checker.getNonNullableType(t) !== t;
      const d = doc(p);
      properties[p.name] = { ...propertyType(optional ? checker.getNonNullableType(t) : t, `${owner}${pascal(p.name)}`), ...(d ? { description: d } : {}) };
      if (!optional) required.push(p.name);
    }
    return { properties, required: required.sort() };
  }

  /** The members of an interface in schemaTypes.ts: name, doc, and its inputs and outputs types. */
  function members(interfaceName: string) {
    const decl = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === interfaceName)!;
    return checker.getPropertiesOfType(checker.getTypeAtLocation(decl)).map((m) => {
      const t = checker.getTypeOfSymbol(m);
      const part = (k: string) => checker.getTypeOfSymbol(checker.getPropertyOfType(t, k)!);
      return { name: m.name, description: doc(m), inputs: part("inputs"), outputs: part("outputs") };
    });
  }

  const secret = (spec: Spec) => ({ ...spec, secret: true });
  const withSecrets = (props: Record<string, Spec>, secrets: readonly string[]) =>
    Object.fromEntries(Object.entries(props).map(([k, v]) => [k, secrets.includes(k) ? secret(v) : v]));

  const resourceSpecs: Record<string, Spec> = {};
  for (const m of members("Resources")) {
    const r = resources[token(m.name)];
    if (!r) throw new Error(`schemaTypes.ts names ${m.name}, which provider/native/resources.ts does not serve`);
    const inputs = objectSpec(m.inputs, m.name);
    const outputs = objectSpec(m.outputs, m.name);
    resourceSpecs[token(m.name)] = {
      description: m.description,
      inputProperties: withSecrets(inputs.properties, r.secretFields),
      requiredInputs: inputs.required,
      properties: withSecrets(outputs.properties, r.secretFields),
      required: outputs.required,
    };
  }
  const functionSpecs: Record<string, Spec> = {};
  for (const m of members("Functions")) {
    const name = pascal(m.name.replace(/^get/, ""));
    const inputs = objectSpec(m.inputs, `${name}Args`);
    const outputs = objectSpec(m.outputs, name);
    functionSpecs[token(m.name)] = {
      description: m.description,
      inputs: { properties: inputs.properties, required: inputs.required },
      outputs: { properties: outputs.properties, required: outputs.required },
    };
  }

  // The configuration's types are its zod schema's (ProviderConfig), its descriptions the key table's.
  const configDecl = source.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === "Config")!;
  const configSpec = objectSpec(checker.getTypeAtLocation(configDecl), "Config");
  const variables = Object.fromEntries(
    Object.entries(configKeys).map(([k, meta]) => [
      k,
      {
        ...configSpec.properties[k],
        description: `${meta.doc} Environment: ${meta.env.join(" or ")}.`,
        ...((secretConfigKeys as string[]).includes(k) ? { secret: true } : {}),
      },
    ]),
  );
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8"));
  return {
    name: packageName,
    displayName: "Microsoft Partner Center",
    version: pkg.version,
    description: "Manage Microsoft Partner Center customer tenants: users, CPV application consents, GDAP relationships and access, directory roles.",
    keywords: ["pulumi", "partnercenter", "csp", "gdap", "category/cloud", "kind/native"],
    license: pkg.license,
    repository: "https://github.com/pulumi-partnercenter/pulumi-partnercenter",
    publisher: "pulumi-partnercenter",
    meta: { moduleFormat: "(.*)" },
    config: { variables },
    provider: { description: "The partnercenter provider: one partner tenant's app registration.", inputProperties: variables },
    types,
    resources: resourceSpecs,
    functions: functionSpecs,
    language: {
      // respectSchemaVersion: the generated Go, Python and .NET SDKs ask the engine for the plugin of this
      // version; without it Go's guesses v1 from its import path and Python's waits for a release's.
      go: {
        importBasePath: "github.com/pulumi-partnercenter/pulumi-partnercenter/sdk/go/partnercenter",
        generateResourceContainerTypes: false,
        respectSchemaVersion: true,
      },
      nodejs: { packageName: "@pulumi-partnercenter/native" },
      python: { packageName: "pulumi_partnercenter", respectSchemaVersion: true },
      // The NuGet package and namespace PulumiPartnerCenter.PartnerCenter: "Pulumi." is Pulumi's own.
      csharp: { rootNamespace: "PulumiPartnerCenter", namespaces: { partnercenter: "PartnerCenter" }, respectSchemaVersion: true },
    },
  };
}

if (require.main === module) {
  const out = process.argv[2] ?? path.join(repo, "dist", "provider", "native", "schema.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const text = `${JSON.stringify(generateSchema(), null, 2)}\n`;
  // Written only when it changed, and by rename: `npm pack` (prepack) runs this while a running plugin
  // may be reading the file (test files run side by side), and a reader must never see half a schema.
  if (!fs.existsSync(out) || fs.readFileSync(out, "utf8") !== text) {
    const temp = `${out}.${process.pid}.tmp`;
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, out);
  }
}
