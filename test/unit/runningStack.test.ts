/**
 * Which stack the provider works for, asked of the engine (provider/resources/runningStack.ts). The
 * SDK sets the root resource alongside the program's first resources, so the first create of a new
 * stack can ask before the engine knows it: the engine then answers an empty URN. Found when a
 * PULUMI_SKIP_CHECKPOINTS run's first consent was journaled under no stack, and its CLI kill left an
 * object that nothing could take back. A fake engine answers empty four times, then the stack's URN.
 * A refresh or a destroy runs no program, so the engine never learns a root then: only a create waits.
 * A diff that comes that early does not wait either: its retirement of an answered journal entry is
 * done once the engine says, before a create of this process looks at the journal.
 * The plugin (provider/native) takes the stack from the URN of the engine's calls and never asks: the
 * Go SDK, which Pulumi YAML's language host runs on, never sets a root resource, so each create of a
 * YAML or Go program waited 5 s for it in vain (yamlQuickstart.test.ts took 45 s longer) and none was journaled.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
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

  it("retires an answered journal entry for a diff that came before the engine knew its root resource, once it knows, before a create looks", async () => {
    jest.resetModules();
    const engine = await fakeEngine(["", "", "", "urn:pulumi:dev::rollout::pulumi:pulumi:Stack::rollout-dev"]);
    process.argv = [argv[0], "dynamic-provider", engine.address];
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "pc-root-"));
    const savedHome = process.env.PULUMI_HOME;
    process.env.PULUMI_HOME = home;
    try {
      const journal = await import("../../provider/resources/journal");
      const recovery = await import("../../provider/resources/recovery");
      const runtime = await import("../../provider/resources/runtime");
      runtime.configure({
        get: (k) =>
          ({
            "partnercenter:clientId": "3c9b2b0e-0c1f-4a0e-9f4b-2f5f1d7a1b11",
            "partnercenter:tenantId": "5c5a59ec-def0-539c-8986-36777985a6ae",
            "partnercenter:clientSecret": "unit-test-secret",
          })[k],
      });
      journal.resetJournalForTests(async () => []);
      const object = { customerId: "c", userPrincipalName: "a@b" };
      const dir = journal.journalDir({ project: "rollout", stack: "dev" });
      const file = path.join(dir, "r1.json");
      fs.mkdirSync(dir, { recursive: true });
      const entry = { version: 1, project: "rollout", stack: "dev", kind: "CustomerUser", requestId: "r1", recordedAt: new Date().toISOString(), object };
      fs.writeFileSync(file, JSON.stringify({ ...entry, answeredId: "user-1" }));
      const provider = recovery.retiringAnswered("CustomerUser", {
        diff: async (_id: string) => "diffed",
        read: async (_id: string) => "read",
        update: async (_id: string) => "updated",
        delete: async (_id: string) => "deleted",
      });
      // The engine does not know the stack yet: the diff goes on at once, the entry is still there.
      await expect(provider.diff("user-1")).resolves.toBe("diffed");
      expect(fs.existsSync(file)).toBe(true);
      // A create of the same object in this run (the replacement of what the state holds) waits for the
      // stack, and by then the diff's retirement is done: it neither takes the entry back nor resends it.
      const request = await recovery.createRequestId("CustomerUser", object, (p) => p.userPrincipalName === "a@b");
      expect(request).toMatchObject({ recovering: false });
      expect(request.answered).toBeUndefined();
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      engine.stop();
      process.env.PULUMI_HOME = savedHome;
      if (savedHome === undefined) delete process.env.PULUMI_HOME;
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it("the plugin takes the stack from the URN of a call and never asks the engine, which a YAML or Go program never tells", async () => {
    // The Go SDK never calls SetRootResource: the engine answers an empty root URN for the whole run.
    const engine = await fakeEngine([""]);
    process.argv = [argv[0], "pulumi-resource-partnercenter", engine.address];
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "pc-native-stack-"));
    const savedHome = process.env.PULUMI_HOME;
    process.env.PULUMI_HOME = home;
    try {
      await jest.isolateModulesAsync(async () => {
        const { service } = await import("../../provider/native/server");
        const { provproto: pb, structproto } = await import("../../provider/native/stubs");
        const { recordIntent, journalDir } = await import("../../provider/resources/journal");
        const request = new pb.CheckRequest()
          .setUrn("urn:pulumi:dev::partnercenter-yaml-quickstart::partnercenter:index:CustomerUser::breakglass")
          .setType("partnercenter:index:CustomerUser")
          .setNews(structproto.Struct.fromJavaScript({ customerId: "c" }))
          .setOlds(structproto.Struct.fromJavaScript({}));
        await new Promise((resolve) => service.check({ request } as never, resolve));
        // The create that follows journals its intent under that stack, at once.
        const intent = await recordIntent("CustomerUser", { customerId: "c" }, "r1");
        const stack = { project: "partnercenter-yaml-quickstart", stack: "dev" };
        expect(intent).toMatchObject(stack);
        expect(fs.readdirSync(journalDir(stack, home))).toEqual(["r1.json"]);
      });
      expect(engine.asked()).toBe(0);
    } finally {
      engine.stop();
      if (savedHome === undefined) delete process.env.PULUMI_HOME;
      else process.env.PULUMI_HOME = savedHome;
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
