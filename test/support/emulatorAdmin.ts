/**
 * A small client of the emulator's admin API (`/_emulator`), for tests, benchmarks and the demo:
 * out-of-band changes (what drift detection must find), the inventory, the request log, metrics.
 */
import * as fs from "fs";
import { Agent, request } from "undici";

export class EmulatorAdmin {
  private readonly agent: Agent;

  constructor(private readonly adminUrl: string, caFile: string) {
    this.agent = new Agent({ connect: { ca: fs.readFileSync(caFile, "utf8") } });
  }

  async call<T = any>(method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<T> {
    const res = await request(`${this.adminUrl}${path}`, {
      dispatcher: this.agent,
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`emulator admin ${method} ${path} -> ${res.statusCode}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  inventory() {
    return this.call("GET", "/inventory");
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
