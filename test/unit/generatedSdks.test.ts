/**
 * The Python and .NET SDKs in generated/ are generated from the schema (scripts/gen-sdk.sh) and never
 * run here (README "Which to choose": no PyPI, no NuGet on these machines). What can be checked without
 * their runtimes is checked here: they are the schema of this commit, not of an older one. Every
 * resource and function has its file, each input the schema marks secret is made a secret where it is
 * set, and their plugin version is this package's. A schema change without `bash scripts/gen-sdk.sh`
 * fails here.
 */
import * as fs from "fs";
import * as path from "path";
import { generateSchema } from "../../scripts/generate-schema";

const generated = path.join(__dirname, "..", "..", "generated");
const read = (...parts: string[]) => fs.readFileSync(path.join(generated, ...parts), "utf8");
const exists = (...parts: string[]) => fs.existsSync(path.join(generated, ...parts));

/** `partnercenter:index:CustomerUser` → `CustomerUser`; `…:getCustomerOrganization` → `GetCustomerOrganization`. */
const pascal = (token: string) => {
  const name = token.split(":")[2];
  return name[0].toUpperCase() + name.slice(1);
};
const snake = (token: string) =>
  token
    .split(":")[2]
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase();

describe("the generated Python and .NET SDKs", () => {
  const schema: any = generateSchema();
  const resources = Object.keys(schema.resources);
  const functions = Object.keys(schema.functions);
  /** Each resource's (and the provider's) inputs the schema marks secret. */
  const secretInputs = [
    ...resources.map((t) => [pascal(t), schema.resources[t].inputProperties] as const),
    ["Provider", schema.provider.inputProperties] as const,
  ].flatMap(([name, props]) =>
    Object.entries(props as Record<string, { secret?: boolean }>)
      .filter(([, p]) => p.secret)
      .map(([prop]) => [name, prop] as const),
  );

  it("has a file for every resource and function of the schema, and no other", () => {
    expect(resources.length).toBeGreaterThanOrEqual(5);
    expect(functions.length).toBeGreaterThanOrEqual(6);
    const dotnet = fs
      .readdirSync(path.join(generated, "dotnet"))
      .filter((f) => f.endsWith(".cs") && !["Provider.cs", "Utilities.cs"].includes(f))
      .sort();
    expect(dotnet).toEqual([...resources, ...functions].map((t) => `${pascal(t)}.cs`).sort());
    const python = fs
      .readdirSync(path.join(generated, "python", "pulumi_partnercenter"))
      .filter((f) => f.endsWith(".py") && !f.startsWith("_") && !["outputs.py", "provider.py"].includes(f))
      .sort();
    expect(python).toEqual([...resources, ...functions].map((t) => `${snake(t)}.py`).sort());
  });

  it("makes every input the schema marks secret a secret where the program sets it", () => {
    expect(secretInputs.map(([r, p]) => `${r}.${p}`)).toEqual(expect.arrayContaining(["CustomerUser.password", "Provider.clientSecret"]));
    for (const [resource, prop] of secretInputs) {
      const cs = read("dotnet", `${resource}.cs`);
      const field = `_${prop}`;
      // The Args class's setter wraps the value: `_password = Output.Tuple<…>(value, emptySecret)`.
      expect({ resource, prop, secret: new RegExp(`${field} = Output\\.Tuple<[^;]*emptySecret`).test(cs) }).toEqual({ resource, prop, secret: true });
      const py = read("python", "pulumi_partnercenter", resource === "Provider" ? "provider.py" : `${snake(`x:x:${resource}`)}.py`);
      const key = prop.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
      expect({ resource, prop, secret: py.includes(`__props__.__dict__["${key}"] = None if ${key} is None else pulumi.Output.secret(${key})`) }).toEqual({
        resource,
        prop,
        secret: true,
      });
    }
  });

  it("asks the engine for this version of the plugin", () => {
    const version = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")).version;
    for (const language of ["dotnet", path.join("python", "pulumi_partnercenter")]) {
      expect(JSON.parse(read(language, "pulumi-plugin.json"))).toEqual({ resource: true, name: "partnercenter", version });
    }
    expect(read("dotnet", "version.txt").trim()).toBe(version);
    expect(exists("dotnet", "PulumiPartnerCenter.PartnerCenter.csproj")).toBe(true);
  });
});
