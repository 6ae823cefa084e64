/**
 * `pulumi import` ids on the native provider: the engine's Read with an id and no state. Every
 * resource checks its import id the way its `get` does, before any configuration is read or any call
 * is made: a `../`, a missing or an extra part is refused, naming the field.
 */
import { service } from "../../provider/native/server";
import { provproto as pb, structproto } from "../../provider/native/stubs";

const g = "6fc468f5-b399-4e05-a6f1-da8a33da9a6c";

function importRead(type: string, id: string): Promise<string> {
  const request = new pb.ReadRequest()
    .setId(id)
    .setUrn(`urn:pulumi:dev::p::partnercenter:index:${type}::imported`)
    .setType(`partnercenter:index:${type}`)
    .setProperties(structproto.Struct.fromJavaScript({}));
  return new Promise((resolve) => service.read({ request } as never, (err: { details?: string } | null) => resolve(err ? String(err.details) : "no error")));
}

describe("native pulumi import ids", () => {
  it.each([
    ["CustomerUser", `../${g}`, /customerId must be a GUID/],
    ["CustomerUser", `${g}/${g}/${g}`, /<customerId>\/<userId>/],
    ["ApplicationConsent", `${g}/../${g}`, /\{customerId\}\/\{applicationId\}/],
    ["ApplicationConsent", `${g}/..%2F${g}`, /applicationId must be a GUID/],
    ["DelegatedAdminRelationship", `../${g}`, /relationshipId must be/],
    ["DelegatedAdminAccessAssignment", `${g}/../${g}`, /relationshipId must be/],
    ["CustomerUserRoleAssignment", `${g}/${g}/../${g}`, /\{customerId\}\/\{roleId\}\/\{userId\}/],
    ["CustomerUserRoleAssignment", `${g}/../${g}`, /roleId must be a GUID/],
  ])("%s %s is refused before any call", async (type, id, why) => {
    const message = await importRead(type, id);
    expect(message).toMatch(why);
    expect(message).toContain("Nothing was sent to the service");
  });
});
