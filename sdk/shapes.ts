/**
 * The SDK's types are mapped from the provider's zod shapes (provider/resources/inputs.ts and
 * gdapInputs.ts), where each field is declared once with its TSDoc: a homomorphic mapped type keeps
 * that TSDoc, so an editor shows it on `args.firstName` and on `user.firstName` alike.
 */
import type * as pulumi from "@pulumi/pulumi";

/** A value a program may give as a plain value, a promise or an Output, down to list items and object fields. */
export type DeepInput<T> = [T] extends [(infer U)[]] ? pulumi.Input<DeepInput<U>[]> : [T] extends [object] ? pulumi.Input<InputsOf<T>> : pulumi.Input<T>;

/** A resource's arguments: every field of its shape as a {@link DeepInput}. */
export type InputsOf<T> = { [K in keyof T]: DeepInput<T[K]> };

/** A resource's output properties: every field of its state as a `pulumi.Output`. */
export type OutputsOf<T> = { readonly [K in keyof T]-?: pulumi.Output<T[K]> };

/**
 * Every field of the shapes named with no value: a resource registers each output it has, so that
 * `get` resolves them all from what the read returns.
 */
export function unset(...shapes: object[]): Record<string, undefined> {
  return Object.fromEntries(shapes.flatMap((s) => Object.keys(s)).map((k) => [k, undefined]));
}
