/**
 * Unit, emulator and end-to-end tests; e2e tests drive the real Pulumi CLI (see test/support/engine.ts).
 * The fast groups run first (test/jest/sequencer.js) and each test prints a line as it ends (test/jest/progress.js).
 */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  modulePathIgnorePatterns: ["<rootDir>/.pulumi-work/", "<rootDir>/dist/"],
  testMatch: ["**/*.test.ts"],
  // A guard against hangs, not a speed check: CI runs two passes side by side on two cores (.ci/run).
  testTimeout: 600000,
  testSequencer: "<rootDir>/test/jest/sequencer.js",
  reporters: ["default", "<rootDir>/test/jest/progress.js"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json", diagnostics: { warnOnly: false } }],
    // jose 6 ships ES modules only: Node loads them with require(), jest's module loader does not.
    "/node_modules/jose/.+\\.js$": ["ts-jest", { tsconfig: { allowJs: true, module: "commonjs", target: "ES2022" }, diagnostics: false }],
  },
  transformIgnorePatterns: ["/node_modules/(?!jose/)"],
};
