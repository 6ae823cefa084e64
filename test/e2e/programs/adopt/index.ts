import * as pulumi from "@pulumi/pulumi";
import * as partnercenter from "pulumi-partnercenter";

const config = new pulumi.Config();
const customerId = config.require("customerId");

// An existing user, taken over by declaring it with adopt: true (pulumi import does not work for dynamic providers).
const adopted = new partnercenter.CustomerUser("megan", {
  customerId,
  userPrincipalName: config.require("upn"),
  displayName: "Megan Bowen (managed)",
  usageLocation: "US",
  // Optional when adopting: the user keeps its own password unless the program gives one.
  password: config.getSecret("password"),
  adopt: config.getBoolean("adopt") ?? false,
});
export const adoptedId = adopted.id;
export const adoptedName = adopted.displayName;

// A user read by id, for reference (not managed by this stack).
const readUserId = config.get("readUserId");
if (readUserId) {
  const read = partnercenter.CustomerUser.get("read", readUserId, { customerId });
  module.exports.readName = read.displayName;
  module.exports.readUpn = read.userPrincipalName;
}
