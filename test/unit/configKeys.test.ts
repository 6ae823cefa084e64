import { unknownConfigKeys } from "../../sdk/config";

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
      "maxRetries",
    ];
    expect(unknownConfigKeys(keys.map((k) => `partnercenter:${k}`))).toEqual([]);
  });
});
