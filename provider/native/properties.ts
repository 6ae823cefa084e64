/**
 * Pulumi's property values on the wire (google.protobuf.Struct) and the plain values the resources
 * work with. The plugin says `acceptSecrets`, so a secret arrives as an object with the secret
 * signature; the resources get its plain value, and every output that came from a secret input (or
 * that the schema declares secret) goes back wrapped again, so state never holds it in plain text.
 * A value known only at apply time arrives as the unknown marker, the same string the dynamic
 * provider sees (runtime.ts knownOnly), so the resources' check treats both alike.
 */
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import { unknownValue } from "../resources/runtime";
import { structproto } from "./stubs";

/**
 * Pulumi's special-value signature key and the signature of a secret (sdk/go/common/resource/properties.go).
 * @pulumi/pulumi exports the same values (runtime.specialSigKey, specialSecretSig), but loading its
 * runtime costs the plugin about 1.5 s of CPU at every start; test/unit/nativeProperties.test.ts
 * checks these copies against the SDK's.
 */
const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";
/** The engine's marker for a value not known before apply (runtime.ts declares it for both adapters). */
export const unknown = unknownValue;

export type Props = Record<string, unknown>;

function isSecret(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Props)[sigKey] === secretSig;
}

/** The plain values, and the top-level keys whose values (or any part of them) were secret. */
export function fromStruct(struct: structTypes.Struct | undefined): { props: Props; secrets: Set<string> } {
  const secrets = new Set<string>();
  const props = (struct?.toJavaScript() ?? {}) as Props;
  const plain: Props = {};
  for (const [k, v] of Object.entries(props)) {
    let found = false;
    const unwrap = (x: unknown): unknown => {
      if (isSecret(x)) {
        found = true;
        return unwrap(x.value);
      }
      if (Array.isArray(x)) return x.map(unwrap);
      if (typeof x === "object" && x !== null) return Object.fromEntries(Object.entries(x).map(([a, b]) => [a, unwrap(b)]));
      return x;
    };
    plain[k] = unwrap(v);
    if (found) secrets.add(k);
  }
  return { props: plain, secrets };
}

/** A Struct of the values, the named keys wrapped as secrets; undefined values are left out (a Struct cannot hold them). */
export function toStruct(props: Props, secret: Iterable<string> = []): structTypes.Struct {
  const keys = new Set(secret);
  const out: Props = {};
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined) continue;
    out[k] = keys.has(k) && v !== unknown ? { [sigKey]: secretSig, value: v } : v;
  }
  return structproto.Struct.fromJavaScript(out as Record<string, structTypes.JavaScriptValue>);
}
