/**
 * Which stack (project + stack name) this provider process works for, as the engine itself says.
 *
 * The Node.js dynamic-provider host hands a provider neither a resource's URN nor the stack's name
 * (@pulumi/pulumi 3.248: `create(props)`; `configure` gets the config alone, and the engine sets
 * PULUMI_PROJECT for a plugin but no stack). The engine does keep the root resource's URN
 * (`urn:pulumi:<stack>::<project>::pulumi:pulumi:Stack::…`), which the program registers before
 * any other resource: every plugin may ask for it over the engine's gRPC address, the one argument
 * the engine starts the host with. A create only ever runs while the program runs (`pulumi up`),
 * so the answer is there whenever a create needs it.
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

const engineAddress = z.string().regex(/^[\w.-]+:\d+$/);

let asked: Promise<StackIdentity | undefined> | undefined;

/** This process's stack, asked of the engine once; undefined when there is no engine to ask or no program ran. */
export function runningStack(): Promise<StackIdentity | undefined> {
  asked ??= askEngine().catch(() => undefined);
  return asked;
}

/** For tests without an engine: the stack this process acts for. */
export function setRunningStackForTests(identity: StackIdentity | undefined): void {
  asked = Promise.resolve(identity);
}

async function askEngine(): Promise<StackIdentity | undefined> {
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
  try {
    const urn = await new Promise<string>((resolve, reject) =>
      client.getRootResource(new engineProto.GetRootResourceRequest(), { deadline: Date.now() + 10_000 }, (err: Error | null, res: { getUrn(): string }) =>
        err ? reject(err) : resolve(res.getUrn()),
      ),
    );
    return stackOfUrn(urn);
  } finally {
    client.close();
  }
}
