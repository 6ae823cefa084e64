/**
 * The emulator's clock: real time plus an offset the admin API can move forward, so tests can
 * expire tokens or reach the 30-day purge of soft-deleted users without waiting.
 */
export class Clock {
  constructor(private offsetMs = 0) {}

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  get offset(): number {
    return this.offsetMs;
  }

  set offset(ms: number) {
    this.offsetMs = ms;
  }
}
