import {describe, expect, it} from "vitest";
import {NightlyTimer} from "../../../src/archive/nightly.js";
import {processTimeZone, wallClock} from "../../../src/core/time/zoned.js";

describe("the nightly archive run", () => {
  it("is due next at the set local time, within a day, and not at all when off", () => {
    const timer = new NightlyTimer("03:30", async () => undefined);
    timer.start();
    const next = timer.next() as number;
    timer.stop();
    expect(next - Date.now()).toBeGreaterThan(0);
    expect(next - Date.now()).toBeLessThanOrEqual(25 * 3600_000);
    expect(wallClock(next, processTimeZone())).toMatchObject({hour: 3, minute: 30, second: 0});
    expect(timer.next()).toBeUndefined();
    const off = new NightlyTimer(null, async () => undefined);
    off.start();
    expect(off.next()).toBeUndefined();
    off.stop();
  });

  it("is due the same day when the time is still ahead", async () => {
    const now = new Date();
    // A minute from now, local time: due today, not tomorrow.
    const at = new Date(now.getTime() + 60_000);
    const hhmm = `${String(at.getHours()).padStart(2, "0")}:${String(at.getMinutes()).padStart(2, "0")}`;
    const timer = new NightlyTimer(hhmm, async () => undefined);
    timer.start();
    const due = timer.next() as number;
    timer.stop();
    expect(due).toBeLessThanOrEqual(at.getTime());
    expect(due).toBeGreaterThan(now.getTime());
  });
});
