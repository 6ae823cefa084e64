/**
 * Which stack (project + stack name) this provider process works for, as the engine itself says.
 *
 * The Node.js dynamic-provider host hands a provider neither a resource's URN nor the stack's name
 * (@pulumi/pulumi 3.248: `create(props)`; `configure` gets the config alone, and the engine sets
 * PULUMI_PROJECT for a plugin but no stack). The engine does keep the root resource's URN
 * (`urn:pulumi:<stack>::<project>::pulumi:pulumi:Stack::…`), which the program registers before
 * any other resource: every plugin may ask for it over the engine's gRPC address, the one argument
 * the engine starts the host with. A create only ever runs while the program runs (`pulumi up`),
 * so the answer is there whenever a create needs it, or soon: the SDK tells the engine its root
 * resource (SetRootResource) only once the stack resource is registered, alongside the program's
 * first resources, so the first create of a new stack may ask before it has (the engine answers an
 * empty URN). Such an answer is asked again, and not kept; a create waits for a real one.
 *
 * The plugin (provider/native) needs no ask: the engine hands it every resource's URN, which names
 * the stack ({@link learnStackFromUrn}). It must not ask either: the Go SDK, and so Pulumi YAML, whose
 * language host runs on it, never tells the engine a root resource, so every create of a YAML or Go
 * program waited out the whole root wait in vain and was journaled under no stack.
 */
import { z } from "zod";

export interface StackIdentity {
  project: string;
  stack: string;
}

/** `project/stack`, as errors name a stack. */
export const describeStack = (s: StackIdentity) => `${s.project}/${s.stack}`;

export const sameStack = (a: StackIdentity, b: StackIdentity) => a.project === b.project && a.stack === b.stack;

/** The stack and project a URN names (`urn:pulumi:<stack>::<project>::<type>::<name>`), or undefined for anything else. */
export function stackOfUrn(urn: string): StackIdentity | undefined {
  const m = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
  return m ? { stack: m[1], project: m[2] } : undefined;
}

/** 100 ms apart: up to 5 s for the engine to learn its root resource (it takes milliseconds). */
const rootWaitAttempts = 50;

const engineAddress = z.string().regex(/^[\w.-]+:\d+$/);

let known: StackIdentity | undefined;
/** The ask in flight, by whether it waits for the root resource: concurrent callers share it. */
const inFlight = new Map<boolean, Promise<StackIdentity | undefined>>();
let forTests: { identity: StackIdentity | undefined } | undefined;

/**
 * This process's stack, asked of the engine until it says; undefined when there is no engine to ask
 * or no program ran (a refresh, a destroy: the engine never learns a root resource then). Only a
 * create waits for the root resource to be set (`waitForRoot`): it runs while the program does, so the
 * answer comes within moments; anything else would wait in vain in a refresh.
 */
export async function runningStack(waitForRoot = false): Promise<StackIdentity | undefined> {
  if (forTests) return forTests.identity;
  if (known) return known;
  let ask = inFlight.get(waitForRoot);
  if (!ask) {
    ask = askEngine(waitForRoot ? rootWaitAttempts : 0)
      .catch(() => undefined)
      .finally(() => inFlight.delete(waitForRoot));
    inFlight.set(waitForRoot, ask);
  }
  const identity = await ask;
  if (identity) known = identity;
  return identity;
}

/** This process's stack if the engine has said it already (no ask). */
export const knownStack = (): StackIdentity | undefined => (forTests ? forTests.identity : known);

/**
 * A resource's URN, as the engine hands it to a plugin's every call on that resource: it names the
 * stack the engine runs, so that is this process's stack from then on, and the engine is never asked.
 */
export function learnStackFromUrn(urn: string): void {
  known ??= stackOfUrn(urn);
}

/** For tests without an engine: the stack this process acts for. */
export function setRunningStackForTests(identity: StackIdentity | undefined): void {
  forTests = { identity };
}

async function askEngine(retries: number): Promise<StackIdentity | undefined> {
  // The host runs `node …/dynamic-provider/index.js <engine address>`.
  const address = engineAddress.safeParse(process.argv[2]);
  if (!address.success) return undefined;
  // @grpc/grpc-js and the generated client come with @pulumi/pulumi (this package's peer), as the host uses them.
  const pulumiDir = require.resolve("@pulumi/pulumi");
  /* eslint-disable @typescript-eslint/no-require-imports -- resolved at run time from the host's @pulumi/pulumi */
  const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
  const engineRpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
  const engineProto = require("@pulumi/pulumi/proto/engine_pb");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const client = new engineRpc.EngineClient(address.data, grpc.credentials.createInsecure());
  const rootUrn = () =>
    new Promise<string>((resolve, reject) =>
      client.getRootResource(new engineProto.GetRootResourceRequest(), { deadline: Date.now() + 10_000 }, (err: Error | null, res: { getUrn(): string }) =>
        err ? reject(err) : resolve(res.getUrn()),
      ),
    );
  try {
    // Not yet set (see the top): the stack resource's registration is on its way; wait for it a little.
    for (let attempt = 0; ; attempt++) {
      const identity = stackOfUrn(await rootUrn());
      if (identity || attempt >= retries) return identity;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    client.close();
  }
}
