import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {zonedInstant} from "../../../src/core/time/zoned.js";
import {withoutNightSounds} from "../../../src/family/nightListening.js";
import {type SleepRun, SleepRuns} from "../../../src/family/sleepRuns.js";
import {Store} from "../../../src/store/store.js";
import {sleepRun} from "../../helpers/sleepRun.js";

const ZONE = "Europe/London";
const MIN = 60_000;
/** An instant on London's wall clock: "2027-10-31 01:30" (the clocks go back at 02:00 that night). */
const at = (date: string, h: number, m: number) => {
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  return zonedInstant(y, mo, d, h * 3600 + m * 60, ZONE);
};

describe("the day's listening without the night's sleep sounds", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, {recursive: true, force: true});
    dir = undefined;
  });

  async function runsOf(list: Array<Partial<SleepRun> & {startedAt: number}>, now: number): Promise<SleepRuns> {
    dir = await mkdtemp(path.join(tmpdir(), "yss-sleep-runs-"));
    const store = new Store(dir, new Logger({level: "error"}));
    await store.start();
    const runs = new SleepRuns(store);
    await runs.load(now);
    for (const [i, r] of list.entries()) await runs.save(sleepRun({id: `run-${i}`, ...r}));
    // Read back from the database, as after a restart: what the budget leaves out survives it.
    const again = new SleepRuns(store);
    await again.load(now);
    await store.stop();
    return again;
  }

  it("leaves out only the part after midnight of a night's sound, over the hour the clocks go back, and counts a day's sound", async () => {
    const now = at("2027-10-31", 9, 0);
    const runs = await runsOf(
      [
        // 23:50 to 00:30: thirty minutes of it fall on the 31st.
        {startedAt: at("2027-10-30", 23, 50), endedAt: at("2027-10-31", 0, 30)},
        // 01:30 BST to 01:30 GMT: the clock reads the same, but an hour of sound played.
        {startedAt: at("2027-10-31", 0, 30) + 60 * MIN, endedAt: at("2027-10-31", 0, 30) + 120 * MIN},
        // By day on another player, or by day on this one: counted as any listening.
        {startedAt: at("2027-10-31", 8, 0), endedAt: at("2027-10-31", 8, 20), night: false},
        {startedAt: at("2027-10-31", 2, 0), endedAt: at("2027-10-31", 2, 10), playerId: "living"},
      ],
      now,
    );
    const sleep = {nightSeconds: (id: string, from: number) => Math.round(runs.nightMs(id, from, now) / 1000)};
    const history = {todaySeconds: (id: string) => (id === "mini" ? 150 * 60 : 5 * 60)};
    const counted = withoutNightSounds(history, sleep, ZONE, () => now);
    // 150 heard today less 30 after midnight and the hour across the change: 60 minutes count.
    expect(counted.todaySeconds("mini")).toBe(60 * 60);
    // Never below nothing: the living room heard 5 minutes, its 10 of rain leave 0.
    expect(counted.todaySeconds("living")).toBe(0);
  });

  it("counts a sound still playing up to now, and keeps an ended run a week and a day", async () => {
    const now = at("2027-10-31", 3, 0);
    const runs = await runsOf(
      [
        {startedAt: at("2027-10-31", 2, 0)},
        {startedAt: at("2027-10-21", 22, 0), endedAt: at("2027-10-21", 22, 20), evening: "2027-10-21"},
        {startedAt: at("2027-10-25", 22, 0), endedAt: at("2027-10-25", 22, 20), evening: "2027-10-25"},
      ],
      now,
    );
    expect(runs.playingOn("mini")?.id).toBe("run-0");
    expect(runs.nightMs("mini", at("2027-10-31", 0, 0), now)).toBe(now - at("2027-10-31", 2, 0));
    expect(runs.all().map((r) => r.evening)).toEqual(["2027-10-25", "2027-10-30"]);
  });
});
