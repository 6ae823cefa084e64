/**
 * What the plugin (provider/native) loads at each start: the engine starts it once or twice per
 * command (the YAML language host for the schema, then the engine itself), so everything its modules
 * require is paid again and again. `@pulumi/pulumi` and its runtime are not among them: the runtime's
 * closure serializer loads TypeScript and npm's arborist, about 1.5 s of CPU at every start (2.2 s
 * instead of 0.6 s for the whole plugin), for the one string it was imported for (the unknown marker).
 */
it("the plugin's modules never load @pulumi/pulumi or its runtime", () => {
  const loaded: string[] = [];
  jest.isolateModules(() => {
    for (const sdk of ["@pulumi/pulumi", "@pulumi/pulumi/runtime", "@pulumi/pulumi/automation", "@pulumi/pulumi/provider"]) {
      jest.doMock(sdk, () => {
        loaded.push(sdk);
        return {};
      });
    }
    // What main.ts loads before it serves (it starts the server at once, so it is not loaded here).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("../../provider/native/server");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("../../provider/lifeline");
  });
  expect(loaded).toEqual([]);
});
