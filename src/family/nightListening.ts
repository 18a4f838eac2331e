import {Days} from "../core/time/days.js";

/**
 * Today's listening as the plan counts it against the budget: the history's, less the night's
 * sleep sounds (a rain sound from 02:10 to wake is no part of the day's listening). A sleep sound
 * started by day is counted as any listening.
 */
export function withoutNightSounds(
  history: {todaySeconds(playerId: string): number},
  sleep: {nightSeconds(playerId: string, from: number): number},
  timeZone: string,
  now: () => number = Date.now,
): {todaySeconds(playerId: string): number} {
  const days = new Days(timeZone);
  return {
    todaySeconds(playerId) {
      const from = days.startOf(days.dateOf(now()));
      return Math.max(0, history.todaySeconds(playerId) - sleep.nightSeconds(playerId, from));
    },
  };
}
