import {afterEach, describe, expect, it, vi} from "vitest";
import {LateAnswers} from "../../../src/voice/lateAnswers.js";

function kept(max = 3) {
  const published: Array<{topic: string; payload: unknown; retain: boolean}> = [];
  const late = new LateAnswers({
    publish: (topic, payload, retain) => published.push({topic, payload, retain}),
    topic: (transaction) => `yoto/bridge/response/voice/${transaction}`,
    keepMs: 60_000,
    max,
  });
  return {late, published};
}

describe("answers kept for a subscriber that comes late", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("keeps each retained on its transaction's topic, and clears it a minute later", () => {
    vi.useFakeTimers();
    const {late, published} = kept();
    late.keep("01JABC", {status: "ok", data: {speech: "Paused Living Room."}, transaction: "01JABC"});
    expect(published).toEqual([
      {
        topic: "yoto/bridge/response/voice/01JABC",
        payload: {status: "ok", data: {speech: "Paused Living Room."}, transaction: "01JABC"},
        retain: true,
      },
    ]);
    vi.advanceTimersByTime(59_999);
    expect(published).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(published.at(-1)).toEqual({topic: "yoto/bridge/response/voice/01JABC", payload: "", retain: true});
    expect(late.size).toBe(0);
  });

  it("keeps no more than its most, clears the oldest first, and all of them when asked", () => {
    const {late, published} = kept(3);
    for (const id of ["t1", "t2", "t3", "t4"]) late.keep(id, {status: "ok", transaction: id});
    expect(late.size).toBe(3);
    expect(published.at(-1)).toEqual({topic: "yoto/bridge/response/voice/t1", payload: "", retain: true});
    late.clearAll();
    expect(late.size).toBe(0);
    expect(published.filter((p) => p.payload === "").map((p) => p.topic)).toEqual([
      "yoto/bridge/response/voice/t1",
      "yoto/bridge/response/voice/t2",
      "yoto/bridge/response/voice/t3",
      "yoto/bridge/response/voice/t4",
    ]);
  });

  it("keeps nothing for a transaction that cannot name a topic", () => {
    const {late, published} = kept();
    for (const id of [undefined, 7, "", "a/b", "+", "#", "x".repeat(65), "ümlaut"]) late.keep(id, {status: "ok"});
    expect(published).toEqual([]);
  });
});
