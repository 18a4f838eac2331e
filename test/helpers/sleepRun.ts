import type {SleepRun} from "../../src/family/sleepRuns.js";

/** A night's sleep sound as the service saves one: Mia's rain on the Bedroom Mini, with what a test says. */
export function sleepRun(run: Partial<SleepRun> & Pick<SleepRun, "startedAt">): SleepRun {
  return {
    id: `run-${run.startedAt}`,
    child: "Mia",
    playerId: "mini",
    player: "Bedroom Mini",
    sound: "stream:rain",
    title: "Rain",
    reason: "Mia is up",
    by: "Home Assistant",
    evening: "2027-10-30",
    night: true,
    ...run,
  };
}
