/**
 * The native provider's configuration at CheckConfig: the engine sends it no secrets (it marks what
 * came in secret itself afterwards), so the plugin marks the keys the schema says are secret. A plain
 * string handed to an explicit provider's clientSecret is then still encrypted in the state.
 */
import { service } from "../../provider/native/server";
import { fromStruct } from "../../provider/native/properties";
import { provproto as pb, structproto } from "../../provider/native/stubs";

it("CheckConfig returns clientSecret, refreshToken and federatedToken as secrets, the other keys as they came", async () => {
  const news = {
    clientId: "6fc468f5-b399-4e05-a6f1-da8a33da9a6c",
    tenantId: "7fc468f5-b399-4e05-a6f1-da8a33da9a6c",
    clientSecret: "plain-secret",
    refreshToken: "plain-refresh-token",
  };
  const request = new pb.CheckRequest().setUrn("urn:pulumi:dev::p::pulumi:providers:partnercenter::tenant-b").setNews(structproto.Struct.fromJavaScript(news));
  const res = await new Promise<InstanceType<typeof pb.CheckResponse>>((resolve, reject) =>
    service.checkConfig({ request } as never, (err: unknown, r?: unknown) => (err ? reject(err) : resolve(r as InstanceType<typeof pb.CheckResponse>))),
  );
  expect(res.getFailuresList()).toEqual([]);
  const { props, secrets } = fromStruct(res.getInputs());
  expect(props).toEqual(news);
  expect([...secrets].sort()).toEqual(["clientSecret", "refreshToken"]);
});
