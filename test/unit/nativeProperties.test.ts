/**
 * The plugin's wire values (provider/native/properties.ts) are Pulumi's: its copies of the signature
 * key, the secret signature and the unknown marker are checked against @pulumi/pulumi's own, and a
 * secret survives the round trip through a Struct.
 */
import * as pulumi from "@pulumi/pulumi";
import { fromStruct, toStruct, unknown } from "../../provider/native/properties";

it("wraps a secret with @pulumi/pulumi's signature key and secret signature, and reads it back as a secret", () => {
  const wire = toStruct({ password: "p@ss", userPrincipalName: "ada@contoso.onmicrosoft.com" }, ["password"]).toJavaScript();
  expect(wire.password).toEqual({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: "p@ss" });
  expect(wire.userPrincipalName).toBe("ada@contoso.onmicrosoft.com");
  const { props, secrets } = fromStruct(toStruct({ password: "p@ss", other: "x" }, ["password"]));
  expect(props).toEqual({ password: "p@ss", other: "x" });
  expect([...secrets]).toEqual(["password"]);
});

it("uses @pulumi/pulumi's unknown marker, and never wraps an unknown as a secret", () => {
  expect(unknown).toBe(pulumi.runtime.unknownValue);
  expect(toStruct({ password: unknown }, ["password"]).toJavaScript().password).toBe(pulumi.runtime.unknownValue);
});
