/**
 * The package schema (scripts/generate-schema.ts, from the TypeScript types of the zod shapes) against
 * the zod shapes the providers check with at run time: the same fields, the same required ones, the
 * same kinds of value, the same secrets, every field documented; and the schema the plugin serves is
 * the one these declarations make.
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { configKeys, secretConfigKeys } from "../../provider/config";
import { functions, resources } from "../../provider/native/resources";
import { generateSchema } from "../../scripts/generate-schema";

type Spec = any;

/** The schema type a zod field takes as an input. */
function kindOf(field: z.ZodType): string {
  const def = (field as any).def;
  switch (def.type) {
    case "optional":
    case "default":
    case "nullable":
      return kindOf(def.innerType);
    case "pipe":
      return kindOf(def.in);
    case "enum":
      return "string";
    case "object":
      return "ref";
    default:
      return def.type;
  }
}
const kindInSchema = (p: Spec) => (p.$ref ? "ref" : p.type);

/** Every way the schema and the zod shapes disagree, as sentences. */
function disagreements(schema: Spec): string[] {
  const problems: string[] = [];
  for (const [tok, r] of Object.entries(resources)) {
    const spec = schema.resources[tok];
    if (!spec) {
      problems.push(`${tok}: not in the schema`);
      continue;
    }
    const fields = Object.keys(r.inputFields).sort();
    const declared = Object.keys(spec.inputProperties).sort();
    if (JSON.stringify(fields) !== JSON.stringify(declared)) problems.push(`${tok}: inputs ${declared} in the schema, ${fields} in zod`);
    const required = fields.filter((k) => !r.inputFields[k].safeParse(undefined).success);
    if (JSON.stringify(required) !== JSON.stringify([...spec.requiredInputs].sort()))
      problems.push(`${tok}: required ${spec.requiredInputs} in the schema, ${required} in zod`);
    for (const k of fields) {
      const p = spec.inputProperties[k];
      if (!p) continue;
      if (kindInSchema(p) !== kindOf(r.inputFields[k])) problems.push(`${tok}.${k}: ${kindInSchema(p)} in the schema, ${kindOf(r.inputFields[k])} in zod`);
      if (!p.description) problems.push(`${tok}.${k}: no description (TSDoc)`);
      if (Boolean(p.secret) !== r.secretFields.includes(k)) problems.push(`${tok}.${k}: secret ${Boolean(p.secret)} in the schema`);
      // An input-only field (the password) is kept in the state's inputs only: never an output.
      const inputOnly = r.inputOnlyFields.includes(k);
      if (inputOnly && spec.properties[k] !== undefined) problems.push(`${tok}.${k}: an input-only field among the outputs`);
      if (!inputOnly && spec.properties[k] === undefined) problems.push(`${tok}.${k}: an input that is no output`);
    }
    for (const k of r.computedFields) if (!spec.properties[k]) problems.push(`${tok}.${k}: a computed field that is no output`);
  }
  const fns = Object.keys(functions).sort();
  if (JSON.stringify(fns) !== JSON.stringify(Object.keys(schema.functions).sort()))
    problems.push(`functions: ${Object.keys(schema.functions)} in the schema, ${fns} served`);
  if (JSON.stringify(Object.keys(configKeys)) !== JSON.stringify(Object.keys(schema.config.variables))) problems.push("config: keys differ from configKeys");
  for (const k of Object.keys(configKeys)) {
    if (Boolean(schema.config.variables[k]?.secret) !== (secretConfigKeys as string[]).includes(k)) problems.push(`config.${k}: secret differs`);
  }
  return problems;
}

describe("the partnercenter package schema", () => {
  let schema: Spec;
  beforeAll(() => {
    schema = generateSchema();
  });

  it("agrees with the zod shapes: fields, required ones, kinds, secrets, descriptions", () => {
    expect(disagreements(schema)).toEqual([]);
  });

  it("reports a field the zod shape has and the schema lacks, and a secret it does not mark", () => {
    const doctored = JSON.parse(JSON.stringify(schema));
    delete doctored.resources["partnercenter:index:CustomerUser"].inputProperties.immutableId;
    delete doctored.resources["partnercenter:index:CustomerUser"].inputProperties.password.secret;
    expect(disagreements(doctored)).toEqual([
      expect.stringContaining("partnercenter:index:CustomerUser: inputs"),
      "partnercenter:index:CustomerUser.password: secret false in the schema",
    ]);
  });

  it("names a function for every data source and documents its results", () => {
    const org = schema.functions["partnercenter:index:getCustomerOrganization"];
    expect(org.inputs.required).toEqual(["customerId"]);
    expect(org.outputs.properties.countryLetterCode).toEqual({ type: "string", description: expect.stringContaining("ISO 3166-1") });
    expect(schema.types["partnercenter:index:ApplicationGrant"].required).toEqual(["enterpriseApplicationId", "scopes"]);
  });

  it("is what the plugin serves (dist/provider/native/schema.json, written by npm run build)", () => {
    const served = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "dist", "provider", "native", "schema.json"), "utf8"));
    expect(served).toEqual(schema);
  });
});
