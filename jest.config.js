/** Unit, emulator and end-to-end tests; e2e tests drive the real Pulumi CLI (see test/support/engine.ts). */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  modulePathIgnorePatterns: ["<rootDir>/.pulumi-work/", "<rootDir>/dist/"],
  testMatch: ["**/*.test.ts"],
  testTimeout: 300000,
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: { warnOnly: false } }] },
};
