export interface LoggedRequest {
  time: string;
  method: string;
  path: string;
  query: string;
  status: number | "reset";
  group: string;
  requestId: string;
  correlationId: string;
  tenantId?: string;
  appId?: string;
  durationMs: number;
}

/** A ring of the last N API requests, so a test can prove what the emulator did (or did not) see. */
export class RequestLog {
  private entries: LoggedRequest[] = [];

  constructor(private size = 1000) {}

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > this.size) this.entries.splice(0, this.entries.length - this.size);
  }

  list(): LoggedRequest[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
