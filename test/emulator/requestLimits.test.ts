import { Readable } from "stream";
import { request } from "undici";
import { customers, resources, TestEmulator } from "./helpers";

const MiB = 1024 * 1024;

/** A body of `total` bytes made on demand, counting what the client was asked for. */
function countedBody(total: number): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const stream = new Readable({
    read() {
      if (pulled >= total) return void this.push(null);
      pulled += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

describe("request body limit", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await TestEmulator.start();
  });
  afterAll(() => t.stop());

  const users = () => t.pc(`/customers/${customers.contoso}/users`);

  async function post(url: string, body: Readable, headers: Record<string, string>) {
    const res = await request(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers }, dispatcher: t.agent });
    return { status: res.statusCode, headers: res.headers, json: JSON.parse(await res.body.text()) };
  }

  it.each([
    ["without a token", false],
    ["with a token", true],
  ])("answers 413 to a streamed body over 4 MiB %s, having stopped reading it", async (_name, authenticated) => {
    const headers: Record<string, string> = authenticated ? { authorization: `Bearer ${await t.userToken(resources.partnerCenter)}` } : {};
    const total = 256 * MiB;
    const { stream, pulled } = countedBody(total);
    const r = await post(users(), stream, headers);
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ code: "413", description: expect.stringMatching(/larger than 4 MiB/), source: "PartnerApiServiceControllers" });
    // Socket and TLS buffers hold a few MiB at most; the rest was never asked of the client.
    expect(pulled()).toBeLessThan(32 * MiB);
  });

  it("answers 413 from a declared Content-Length over 4 MiB before reading the body, in Graph's shape on Graph", async () => {
    const { stream, pulled } = countedBody(64 * MiB);
    const r = await post(`${t.emu.endpoints.graph}/servicePrincipals`, stream, { "content-length": String(64 * MiB) });
    expect(r.status).toBe(413);
    expect(r.json.error).toMatchObject({ code: "RequestEntityTooLarge", message: expect.stringMatching(/larger than 4 MiB/) });
    expect(pulled()).toBeLessThan(32 * MiB);
  });

  it("still reads a body under the limit", async () => {
    const token = await t.userToken(resources.partnerCenter);
    const body = {
      usageLocation: "US",
      userPrincipalName: "padded@contoso.onmicrosoft.com",
      displayName: "x".repeat(1000),
      passwordProfile: { password: "abCD123*x" },
    };
    const r = await t.http("POST", users(), { token, body: JSON.stringify(body) + " ".repeat(3 * MiB) });
    expect(r.status).toBe(200);
  });
});
