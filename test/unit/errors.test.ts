import { inspect } from "util";
import { errorFromResponse } from "../../provider/errors";

describe("error messages", () => {
  const pcBody = (description: string) => JSON.stringify({ code: "401", description, data: [], source: "PartnerApiServiceControllers" });
  const error = (body: string) =>
    errorFromResponse({ operation: "read the organization profile", service: "Partner Center", customerId: "c", statusCode: 401, body });

  it("points at the machine's clock when a 401 for an expired token survives a fresh token", () => {
    // The auth policy already sent the call again with a fresh token: the credentials are not the problem.
    expect(error(pcBody("Unauthorized: Lifetime validation failed, the token is expired.")).message).toMatch(
      /answered 401 \(code 401\) "Unauthorized: Lifetime validation failed, the token is expired\."\. To fix: the service refused a fresh token as expired too: check that this machine's clock is right\./,
    );
  });

  it("points at the credentials for any other 401", () => {
    expect(error(pcBody("Unauthorized: Access token validation failure. Invalid audience.")).message).toMatch(
      /To fix: check the credentials in the partnercenter: configuration/,
    );
  });

  const forbidden = (description: string) =>
    errorFromResponse({
      operation: "create user a@b.onmicrosoft.com",
      service: "Partner Center",
      customerId: "c",
      statusCode: 403,
      body: JSON.stringify({ code: "403", description }),
    });

  it("names the missing GDAP role, not App+User credentials, when the service said which role it wanted", () => {
    const e = forbidden(
      "Forbidden: this operation needs one of the GDAP roles User Administrator, Directory Writers in customer c; the partner holds: Global Reader.",
    );
    expect(e.message).toMatch(/To fix: give the partner's GDAP relationship with that customer one of the roles the service named/);
    expect(e.message).not.toMatch(/refreshToken/);
  });

  it("points at partnercenter:refreshToken when the service said the token was app-only", () => {
    const e = forbidden("This operation supports App+User (delegated) credentials only; the access token is app-only.");
    expect(e.message).toMatch(/To fix: this call takes a partner user's token: set partnercenter:refreshToken/);
  });
});

describe("util.inspect of a PartnerCenterError", () => {
  it("shows the sentence alone, without formatting the stack or listing the fields", () => {
    // Pulumi's Node.js SDK inspects an error that escapes a program even when it prints only the
    // message; formatting the stack through source-map support cost a failing preview about 20 s.
    const prepare = jest.fn((err: Error) => err.message);
    const original = Error.prepareStackTrace;
    Error.prepareStackTrace = prepare;
    try {
      const err = errorFromResponse({
        operation: "read the multitenant organization member",
        service: "Microsoft Graph",
        customerId: "c",
        statusCode: 404,
        body: JSON.stringify({ error: { code: "Request_ResourceNotFound", message: "not a member" } }),
      });
      const shown = inspect(err, { colors: true });
      expect(shown).toBe(`PartnerCenterError: ${err.message}`);
      expect(shown).not.toMatch(/operation: |serviceCode: /);
      expect(shown).not.toContain("\u001b["); // no terminal colour codes
      expect(prepare).not.toHaveBeenCalled();
      // The fields and the stack are still there for a program that looks.
      expect(err.serviceCode).toBe("Request_ResourceNotFound");
      expect(err.stack).toBeDefined();
      expect(prepare).toHaveBeenCalled();
    } finally {
      Error.prepareStackTrace = original;
    }
  });
});
