/**
 * The emulator forgets idempotency records after their window (the seed's idempotencyWindowHours),
 * sweeping for them at most once a second of its clock rather than on every request.
 */
import { loadSeed } from "../../emulator";
import { expirySweepIntervalMs, MemoryStore, stateFromSeed } from "../../emulator/store/memory";

const hour = 3600_000;
const answer = (atMs: number) => ({ status: 201, headers: {}, body: "{}", atMs });

function store(startMs: number): MemoryStore {
  return new MemoryStore(stateFromSeed(loadSeed(), startMs));
}

describe("MemoryStore.expire", () => {
  const t0 = Date.parse("2026-11-24T00:00:00Z");
  const window = 24 * hour;

  it("drops a recorded answer once its window has passed, and keeps it before", () => {
    const s = store(t0);
    s.recordResponse("a", answer(t0));
    s.expire(t0 + window - 1);
    expect(s.getRecordedResponse("a")).toBeDefined();
    s.expire(t0 + window + expirySweepIntervalMs);
    expect(s.getRecordedResponse("a")).toBeUndefined();
  });

  it("sweeps at most once per interval of its clock: an answer that runs out between two sweeps goes at the next", () => {
    const s = store(t0);
    s.recordResponse("a", answer(t0));
    s.expire(t0 + window - 10); // a sweep: nothing is due yet
    s.expire(t0 + window + 10); // within the interval of that sweep: not swept again
    expect(s.getRecordedResponse("a")).toBeDefined();
    s.expire(t0 + window - 10 + expirySweepIntervalMs);
    expect(s.getRecordedResponse("a")).toBeUndefined();
  });

  it("sweeps again at once when the clock moves back, and after a reset", () => {
    const s = store(t0);
    s.recordResponse("a", answer(t0 - 2 * window));
    s.expire(t0 + 5 * expirySweepIntervalMs);
    expect(s.getRecordedResponse("a")).toBeUndefined();
    s.recordResponse("b", answer(t0 - 2 * window));
    s.expire(t0);
    expect(s.getRecordedResponse("b")).toBeUndefined();
    s.load(loadSeed());
    s.recordResponse("c", answer(t0 - 2 * window));
    s.expire(t0 + 1);
    expect(s.getRecordedResponse("c")).toBeUndefined();
  });
});
