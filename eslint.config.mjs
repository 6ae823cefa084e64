// typescript-eslint's recommended rules over the product and the harness (not type-aware: the
// type-aware set takes minutes on the 2-core machines; tsc already checks the types).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["dist/", "node_modules/", ".pulumi-work/", "bench/out/", "**/node_modules/", "examples/*/bin/", "generated/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // An unused name that starts with _ is deliberate (a destructured value left out, a parameter kept for its position).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // The input checks reject control characters on purpose (a UPN, a name, an immutableId).
    files: ["provider/resources/inputs.ts", "provider/resources/gdapInputs.ts"],
    rules: { "no-control-regex": "off" },
  },
  {
    // The SDK's classes get their output properties by merging with an interface mapped from the
    // resource's one zod shape (sdk/shapes.ts): the fields are declared once, with their TSDoc.
    files: ["sdk/**"],
    rules: {
      "@typescript-eslint/no-unsafe-declaration-merging": "off",
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
    },
  },
  {
    // Tests and the harness read untyped JSON (`pulumi stack export`, the emulator's inventory, MSAL's
    // cache) and poke at values a user cannot type; the product keeps the rule.
    files: ["test/**", "bench/**", "scripts/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Programs the tests run: a dynamic provider `require`s inside its methods, so that the
    // serialized provider carries no module (as STYLE.md and Pulumi's dynamic providers say).
    files: ["test/e2e/programs/**", "test/reliability/**/program/**"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Plain JavaScript run by Node.js as CommonJS: jest.config.js, the programs written in JavaScript.
    files: ["**/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
