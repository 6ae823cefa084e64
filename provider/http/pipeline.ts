/**
 * One HTTP pipeline for every call the provider makes, as in the Azure SDK: small named policies in a
 * fixed order, each in its own file, ending in the undici transport.
 *
 *   requestIds -> auth -> rateLimit -> retry -> logging -> transport
 *
 * The order matters: ids are fixed before retries (so a retried POST keeps its MS-RequestId), the
 * token is fetched once per logical call, every attempt (retries included) takes a rate-limit slot,
 * and logging sees each attempt as it goes on the wire.
 */
import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from "./types";

export class Pipeline {
  constructor(private readonly policies: PipelinePolicy[], private readonly transport: SendRequest) {}

  /** The policies' names, in order (for tests and diagnostics). */
  get policyNames(): string[] {
    return this.policies.map((p) => p.name);
  }

  send(request: PipelineRequest): Promise<PipelineResponse> {
    const run = (index: number, req: PipelineRequest): Promise<PipelineResponse> =>
      index === this.policies.length
        ? this.transport(req)
        : this.policies[index].sendRequest(req, (next) => run(index + 1, next));
    return run(0, request);
  }
}
