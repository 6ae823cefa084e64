/**
 * Which stack the provider works for, asked of the engine (provider/resources/runningStack.ts). The
 * SDK sets the root resource alongside the program's first resources, so the first create of a new
 * stack can ask before the engine knows it: the engine then answers an empty URN. Found when a
 * PULUMI_SKIP_CHECKPOINTS run's first consent was journaled under no stack, and its CLI kill left an
 * object that nothing could take back. A fake engine answers empty four times, then the stack's URN.
 * A refresh or a destroy runs no program, so the engine never learns a root then: only a create waits.
 */
import * as grpc from "@grpc/grpc-js";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const engineRpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const engineProto = require("@pulumi/pulumi/proto/engine_pb");

async function fakeEngine(answers: string[]): Promise<{ address: string; asked: () => number; stop: () => void }> {
  let asked = 0;
  const server = new grpc.Server();
  server.addService(engineRpc.EngineService, {
    getRootResource: (_call: unknown, callback: (err: null, res: unknown) => void) => {
      const urn = answers[Math.min(asked++, answers.length - 1)];
      callback(null, new engineProto.GetRootResourceResponse().setUrn(urn));
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { address: `127.0.0.1:${port}`, asked: () => asked, stop: () => server.forceShutdown() };
}

describe("runningStack", () => {
  const argv = process.argv;
  afterEach(() => {
    process.argv = argv;
  });

  it("waits for the engine to learn its root resource when a create asks, and asks again after an empty answer", async () => {
    const urn = "urn:pulumi:dev::rollout::pulumi:pulumi:Stack::rollout-dev";
    const engine = await fakeEngine(["", "", "", "", urn]);
    process.argv = [argv[0], "dynamic-provider", engine.address];
    try {
      const { runningStack } = await import("../../provider/resources/runningStack");
      // Anything but a create (a refresh's read, say) asks once and does not wait: no program, no root.
      expect(await runningStack()).toBeUndefined();
      expect(engine.asked()).toBe(1);
      // A create waits for it; the empty answers are not kept.
      expect(await runningStack(true)).toEqual({ project: "rollout", stack: "dev" });
      expect(engine.asked()).toBe(5);
      // Known once, asked once.
      expect(await runningStack()).toEqual({ project: "rollout", stack: "dev" });
      expect(engine.asked()).toBe(5);
    } finally {
      engine.stop();
    }
  });
});
