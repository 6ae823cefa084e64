/**
 * The plugin adapter: Pulumi's ResourceProvider gRPC service over provider/resources and
 * provider/dataSources.ts, the same code the dynamic adapter (`pulumi-partnercenter/dynamic`) loads.
 *
 * Why this base: @pulumi/pulumi already ships the generated service stubs (proto/provider_grpc_pb.js)
 * and depends on @grpc/grpc-js, so implementing the service directly (as Pulumi's own guide for
 * TypeScript providers does) needs no new dependency. Its higher-level `@pulumi/pulumi/provider`
 * server was the smaller-looking choice, but in 3.248 and 3.276 alike it answers Configure without
 * passing the configuration on and leaves CheckConfig and DiffConfig unimplemented: a provider with
 * credentials needs all three. pulumi-go-provider would mean writing the resources again in Go.
 *
 * What this file decides is only the protocol's: which resource a URN names, secrets (the plugin
 * accepts them and marks every output that came from a secret, or that the schema says is one),
 * unknowns in a preview, and how a failure travels back. The configuration is the stack's
 * `partnercenter:*` keys, read by provider/config.ts loadConfig, as for the dynamic providers.
 */
import * as fs from "fs";
import * as path from "path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { configKeys, loadConfig, secretConfigKeys } from "../config";
import { redactText } from "../redact";
import { createRequestIdKey } from "../resources/createRequestIdKey";
import { configure, context } from "../resources/runtime";
import { learnStackFromUrn } from "../resources/runningStack";
import { functions, inputDefaults, NativeResource, resources } from "./resources";
import { fromStruct, Props, toStruct, unknown } from "./properties";
import { emptyproto, grpc, plugproto, provproto as pb, provrpc } from "./stubs";

type Call<Req> = grpcTypes.ServerUnaryCall<Req, unknown>;
type Handler<Req, Res> = (call: Call<Req>) => Promise<Res>;

/** An async method as a gRPC unary handler: a thrown error goes back with its message (redacted). */
function unary<Req, Res>(fn: Handler<Req, Res>) {
  return (call: Call<Req>, callback: grpcTypes.sendUnaryData<Res>) => {
    fn(call).then(
      (res) => callback(null, res),
      (err: unknown) => {
        const message = redactText(err instanceof Error ? err.message : String(err));
        callback({ code: grpc.status.UNKNOWN, details: message, message, name: "Error", metadata: new grpc.Metadata() });
      },
    );
  };
}

/**
 * The resource a URN names (`urn:pulumi:stack::project::partnercenter:index:CustomerUser::name`). The
 * URN also names the stack: the journal and the recovery take it from there (runningStack.ts).
 */
function resourceOf(urn: string, type?: string): NativeResource {
  learnStackFromUrn(urn);
  const t = type || urn.split("::")[2]?.split("$").pop() || "";
  const r = resources[t];
  if (!r) throw new Error(`partnercenter: unknown resource type ${t}. The types are ${Object.keys(resources).join(", ")}.`);
  return r;
}

/** The keys a resource's values go back as secrets under: what came in secret, and what is always secret. */
const secretsOf = (r: NativeResource, ...sets: Set<string>[]) => new Set([...r.secretFields, ...sets.flatMap((s) => [...s])]);

/** The provider's configuration from a request's values: `args` (typed, maybe secret) or the older `variables` map. */
function configValues(args: Props, variables?: Map<string, string>): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(args)) {
    if (v === undefined || v === null || v === unknown) continue;
    values[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  for (const [k, v] of variables ?? []) {
    // `partnercenter:config:clientId` (the engine's older spelling) or `partnercenter:clientId`.
    const key = k.replace(/^partnercenter:(config:)?/, "");
    values[key] ??= v;
  }
  return values;
}

/** Keys that are no configuration of ours: the engine's own (`version`, `pluginDownloadURL`) and internal ones. */
const engineKeys = (k: string) => k === "version" || k === "pluginDownloadURL" || k.startsWith("__");

function checkFailure(property: string, reason: string): provproto.CheckFailure {
  const f = new pb.CheckFailure();
  f.setProperty(property);
  f.setReason(reason);
  return f;
}

/** The package's root: two folders up from provider/native, three from dist/provider/native. */
const packageRoot = path.resolve(__dirname, "..", "..", ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? [".."] : []));
const pluginVersion: string = JSON.parse(fs.readFileSync(path.join(packageRoot, "package.json"), "utf8")).version;

export const service = {
  getPluginInfo: unary(async () => new plugproto.PluginInfo().setVersion(pluginVersion)),

  getSchema: unary<provproto.GetSchemaRequest, provproto.GetSchemaResponse>(async (call) => {
    if (call.request.getVersion() !== 0) throw new Error(`unsupported schema version ${call.request.getVersion()}`);
    return new pb.GetSchemaResponse().setSchema(fs.readFileSync(path.join(__dirname, "schema.json"), "utf8"));
  }),

  /** The provider's inputs: unknown keys and what loadConfig refuses are failures, before any resource is looked at. */
  checkConfig: unary<provproto.CheckRequest, provproto.CheckResponse>(async (call) => {
    const { props: news } = fromStruct(call.request.getNews());
    // The engine sends CheckConfig no secrets, then marks what came in secret: the keys the schema
    // says are secret are marked here too, so a plain value handed to an explicit provider is still
    // encrypted in the state.
    const res = new pb.CheckResponse().setInputs(toStruct(news, secretConfigKeys));
    const failures: provproto.CheckFailure[] = [];
    for (const k of Object.keys(news)) {
      if (!engineKeys(k) && !(k in configKeys))
        failures.push(checkFailure(k, `unknown partnercenter configuration key ${k}; the keys are ${Object.keys(configKeys).join(", ")}`));
    }
    // A value known only at apply (an explicit provider fed from another resource) is checked then.
    if (failures.length === 0 && !Object.values(news).includes(unknown)) {
      try {
        loadConfig((k) => configValues(news)[k]);
      } catch (err) {
        failures.push(checkFailure("", (err as Error).message));
      }
    }
    return res.setFailuresList(failures);
  }),

  /** A changed key (a rotated secret, another URL) updates the provider in place: its resources stay. */
  diffConfig: unary<provproto.DiffRequest, provproto.DiffResponse>(async (call) => {
    const olds = fromStruct(call.request.getOldInputs() ?? call.request.getOlds()).props;
    const news = fromStruct(call.request.getNews()).props;
    const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter(
      (k) => !engineKeys(k) && JSON.stringify(olds[k]) !== JSON.stringify(news[k]),
    );
    return new pb.DiffResponse()
      .setChanges(changed.length ? pb.DiffResponse.DiffChanges.DIFF_SOME : pb.DiffResponse.DiffChanges.DIFF_NONE)
      .setDiffsList(changed);
  }),

  configure: unary<provproto.ConfigureRequest, provproto.ConfigureResponse>(async (call) => {
    const args = fromStruct(call.request.getArgs()).props;
    const values = configValues(args, new Map(call.request.getVariablesMap().toArray()));
    // runtime.configure keeps a bad configuration for check to report (as for the dynamic providers).
    configure({ get: (key) => values[key.replace(/^partnercenter:/, "")] });
    return new pb.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(true).setAcceptresources(false);
  }),

  check: unary<provproto.CheckRequest, provproto.CheckResponse>(async (call) => {
    const r = resourceOf(call.request.getUrn(), call.request.getType());
    const olds = fromStruct(call.request.getOlds());
    const news = fromStruct(call.request.getNews());
    const { inputs, failures = [] } = await r.behaviour.check(olds.props, news.props);
    return new pb.CheckResponse()
      .setInputs(toStruct(inputs ?? news.props, secretsOf(r, news.secrets)))
      .setFailuresList(failures.map((f) => checkFailure(f.property, f.reason)));
  }),

  diff: unary<provproto.DiffRequest, provproto.DiffResponse>(async (call) => {
    const r = resourceOf(call.request.getUrn(), call.request.getType());
    const olds = withInputOnly(r, fromStruct(call.request.getOlds()).props, fromStruct(call.request.getOldInputs()).props);
    const news = fromStruct(call.request.getNews()).props;
    const d = await r.behaviour.diff(call.request.getId(), olds as never, news as never);
    const res = new pb.DiffResponse().setChanges(
      d.changes === true
        ? pb.DiffResponse.DiffChanges.DIFF_SOME
        : d.changes === false
          ? pb.DiffResponse.DiffChanges.DIFF_NONE
          : pb.DiffResponse.DiffChanges.DIFF_UNKNOWN,
    );
    res.setReplacesList(d.replaces ?? []).setDeletebeforereplace(d.deleteBeforeReplace ?? false);
    // Which declared inputs differ, for the preview to show: not the per-run request id.
    if (d.changes) {
      const changed = Object.keys(r.inputFields).filter((k) => news[k] !== undefined && JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
      const kinds = pb.PropertyDiff.Kind;
      for (const k of changed) {
        const replace = (d.replaces ?? []).includes(k);
        res.getDetaileddiffMap().set(k, new pb.PropertyDiff().setKind(replace ? kinds.UPDATE_REPLACE : kinds.UPDATE).setInputdiff(true));
      }
      res.setDiffsList(changed).setHasdetaileddiff(true);
    }
    return res;
  }),

  create: unary<provproto.CreateRequest, provproto.CreateResponse>(async (call) => {
    const r = resourceOf(call.request.getUrn(), call.request.getType());
    const inputs = fromStruct(call.request.getProperties());
    const secrets = secretsOf(r, inputs.secrets);
    if (call.request.getPreview()) {
      // What the service will compute is not known before the create.
      return new pb.CreateResponse().setId("").setProperties(toStruct(outputsOf(r, previewOutputs(r, inputs.props)), secrets));
    }
    const { id, outs } = await r.behaviour.create(inputs.props as never);
    return new pb.CreateResponse().setId(id).setProperties(toStruct(outputsOf(r, outs as Props), secrets));
  }),

  read: unary<provproto.ReadRequest, provproto.ReadResponse>(async (call) => {
    const r = resourceOf(call.request.getUrn(), call.request.getType());
    const state = fromStruct(call.request.getProperties());
    const inputs = fromStruct(call.request.getInputs());
    // `pulumi import` reads with the id alone: the resource's import id says where the object is.
    const imported = Object.keys(state.props).length === 0 && r.importId ? r.importId(call.request.getId()) : undefined;
    const got = await r.behaviour.read(imported?.id ?? call.request.getId(), (imported?.props ?? withInputOnly(r, state.props, inputs.props)) as never);
    // An empty id: the object is gone (deleted outside Pulumi); the engine drops it from state.
    if (!got.id) return new pb.ReadResponse().setId("");
    const secrets = secretsOf(r, state.secrets, inputs.secrets);
    // An import knows only what the service reports: the flags it does not hold are their defaults.
    const defaults = imported ? inputDefaults(r) : {};
    return new pb.ReadResponse()
      .setId(got.id)
      .setProperties(toStruct(outputsOf(r, { ...defaults, ...(got.props as Props) }), secrets))
      .setInputs(toStruct({ ...defaults, ...((got.inputs ?? inputs.props) as Props) }, secrets));
  }),

  update: unary<provproto.UpdateRequest, provproto.UpdateResponse>(async (call) => {
    const r = resourceOf(call.request.getUrn(), call.request.getType());
    const olds = fromStruct(call.request.getOlds());
    const news = fromStruct(call.request.getNews());
    const secrets = secretsOf(r, olds.secrets, news.secrets);
    if (call.request.getPreview())
      return new pb.UpdateResponse().setProperties(toStruct(outputsOf(r, { ...olds.props, ...withoutRequestId(news.props) }), secrets));
    const oldInputs = fromStruct(call.request.getOldInputs()).props;
    const { outs } = await r.behaviour.update(call.request.getId(), withInputOnly(r, olds.props, oldInputs) as never, news.props as never);
    return new pb.UpdateResponse().setProperties(toStruct(outputsOf(r, outs as Props), secrets));
  }),

  delete: unary<provproto.DeleteRequest, unknown>(async (call) => {
    const r = resourceOf(call.request.getUrn(), call.request.getType());
    await r.behaviour.delete(call.request.getId(), fromStruct(call.request.getProperties()).props as never);
    return new emptyproto.Empty();
  }),

  invoke: unary<provproto.InvokeRequest, provproto.InvokeResponse>(async (call) => {
    const read = functions[call.request.getTok()];
    if (!read) throw new Error(`partnercenter: unknown function ${call.request.getTok()}. The functions are ${Object.keys(functions).join(", ")}.`);
    const result = await read(context, fromStruct(call.request.getArgs()).props as never);
    return new pb.InvokeResponse().setReturn(toStruct(JSON.parse(JSON.stringify(result)) as Props));
  }),

  /** The engine is stopping (Ctrl-C): nothing to abort that the engine's own shutdown does not end. */
  cancel: unary(async () => new emptyproto.Empty()),

  /** No mappings to other providers' resources (`pulumi convert` asks). */
  getMapping: unary<provproto.GetMappingRequest, provproto.GetMappingResponse>(async () => new pb.GetMappingResponse().setProvider("").setData("")),
};

/** The outputs the state keeps: without the resource's input-only fields (NativeResource.inputOnlyFields). */
const outputsOf = (r: NativeResource, props: Props) => Object.fromEntries(Object.entries(props).filter(([k]) => !r.inputOnlyFields.includes(k)));

/**
 * The recorded outputs as the resources' diff, update and read take them: with the input-only fields
 * from the recorded inputs. A state written before they were left out still has them among its outputs.
 */
function withInputOnly(r: NativeResource, outputs: Props, inputs: Props): Props {
  const kept = Object.fromEntries(r.inputOnlyFields.filter((k) => inputs[k] !== undefined).map((k) => [k, inputs[k]]));
  return { ...outputs, ...kept };
}

const withoutRequestId = (props: Props) => Object.fromEntries(Object.entries(props).filter(([k]) => k !== createRequestIdKey));

/** A create's outputs in a preview: the inputs, and the fields the service computes as unknown. */
function previewOutputs(r: NativeResource, inputs: Props): Props {
  return { ...withoutRequestId(inputs), ...Object.fromEntries(r.computedFields.filter((k) => inputs[k] === undefined).map((k) => [k, unknown])) };
}

/** Starts the service on a free loopback port and resolves to that port. */
export function serve(): Promise<number> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(provrpc.ResourceProviderService, service as unknown as grpcTypes.UntypedServiceImplementation);
  return new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
  );
}
