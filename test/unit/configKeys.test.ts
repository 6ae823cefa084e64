import { plainTextSecretKeys, unknownConfigKeys } from "../../sdk/config";

describe("unknown partnercenter: config keys", () => {
  it("names a mistyped key with the closest known one", () => {
    expect(unknownConfigKeys(["partnercenter:clientid", "partnercenter:clientId", "partnercenter:grahpUrl", "myproject:clientid"])).toEqual([
      "partnercenter:clientid (did you mean partnercenter:clientId?)",
      "partnercenter:grahpUrl (did you mean partnercenter:graphUrl?)",
    ]);
  });

  it("names a key that resembles none without a guess", () => {
    expect(unknownConfigKeys(["partnercenter:region"])).toEqual(["partnercenter:region"]);
  });

  it("accepts every documented key", () => {
    const keys = [
      "clientId",
      "tenantId",
      "clientSecret",
      "certificatePath",
      "certificateThumbprint",
      "federatedTokenFile",
      "federatedToken",
      "refreshToken",
      "authorityHost",
      "partnerCenterUrl",
      "delegatedAdminUrl",
      "graphUrl",
      "caFile",
      "consentRateLimit",
      "userRateLimit",
      "requestRateLimit",
      "requestTimeoutMs",
      "connectionsPerOrigin",
      "maxRetries",
      "forgetCustomers",
    ];
    expect(unknownConfigKeys(keys.map((k) => `partnercenter:${k}`))).toEqual([]);
  });
});

describe("secret partnercenter: config keys in plain text", () => {
  it("names each secret key the engine does not list as secret, and no other key", () => {
    const stackKeys = ["partnercenter:clientSecret", "partnercenter:refreshToken", "partnercenter:clientId", "myproject:clientSecret"];
    const secret = new Set(["partnercenter:refreshToken"]);
    expect(plainTextSecretKeys(stackKeys, (k) => secret.has(k))).toEqual(["partnercenter:clientSecret"]);
    expect(plainTextSecretKeys(["partnercenter:federatedToken"], () => false)).toEqual(["partnercenter:federatedToken"]);
    expect(plainTextSecretKeys(stackKeys, () => true)).toEqual([]);
  });
});
