import {WEEKDAYS} from "./childPlan.js";
import type {Nights} from "./nights.js";
import type {BonusRequest, ChildPlan} from "./types.js";

/** A bonus under way. Times are epoch ms. */
export interface ActiveBonus {
  grantedAt: number;
  /** The end; for `endOfTrack`, the latest it may last. */
  until: number;
  minutes?: number;
  endOfTrack?: boolean;
  by: string;
  /** For `endOfTrack`: the track that started playing under the bonus; its end ends the bonus. */
  track?: {playerId: string; key: string};
}

/** A request the child made, waiting for an answer. */
export interface PendingRequest extends Omit<BonusRequest, "at" | "expires_at"> {
  at: number;
  expiresAt: number;
}

/** One child's day, as the plan keeps it (saved on every change, so a restart picks it up). */
export interface ChildDay {
  date: string;
  /** Minutes of bonuses granted today: they add to today's budget. */
  bonusMinutes: number;
  bonuses: number;
  warned: boolean;
  /**
   * The warning came due while none of the child's players was playing (the minute a story was
   * paused): it is said the next time one plays, not lost.
   */
  warningUnsaid?: boolean;
  budgetReached: boolean;
  /** Listening on shared players while this child was the one listening. */
  sharedSeconds: number;
  bonus?: ActiveBonus;
  request?: PendingRequest;
  lastRequestAt?: number;
  /**
   * A parent answered Not tonight: until then (the end of the quiet it was said in, the next day's
   * wake) no bonus is granted by voice. A parent's own grant still is, and ends it.
   */
  declinedUntil?: number;
}

export function freshDay(date: string, before?: ChildDay): ChildDay {
  // A bonus or request still under way carries over midnight; the counts start again.
  return {
    date,
    bonusMinutes: 0,
    bonuses: 0,
    warned: false,
    budgetReached: false,
    sharedSeconds: 0,
    ...(before?.bonus ? {bonus: before.bonus} : {}),
    ...(before?.request ? {request: before.request} : {}),
    ...(before?.lastRequestAt ? {lastRequestAt: before.lastRequestAt} : {}),
    // A parent's Not tonight said before midnight holds until the morning's wake, past the new date.
    ...(before?.declinedUntil ? {declinedUntil: before.declinedUntil} : {}),
  };
}

/** What the plan says about a child at one instant. */
export interface Verdict {
  usedSeconds: number;
  /** Today's budget with today's bonus minutes; null without a budget. */
  budgetSeconds: number | null;
  leftSeconds: number | null;
  /** Kept quiet, why and until when; absent when the child may listen. */
  blocked?: {reason: "bedtime" | "budget"; until: number};
  bonusActive: boolean;
}

/** Today's budget in minutes (the weekday's own if set), or null. */
export function budgetMinutes(plan: ChildPlan, date: string): number | null {
  if (!plan.budget) return null;
  const day = WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()];
  return (day && plan.budget.weekdays?.[day]) ?? plan.budget.minutes;
}

/**
 * The plan's answer for one child now: a minutes bonus lifts bedtime while it runs and adds its
 * minutes to today's budget; an end-of-track bonus lifts both until its track ends. Otherwise a
 * night under way keeps the child quiet until its wake, and a used-up budget until the next wake
 * (or midnight, when no night is planned). Pure and cheap: it runs for every child each minute.
 */
export function judge(plan: ChildPlan, day: ChildDay, usedSeconds: number, now: number, nights: Nights): Verdict {
  const minutes = budgetMinutes(plan, day.date);
  const budgetSeconds = minutes === null ? null : (minutes + day.bonusMinutes) * 60;
  const bonusActive = day.bonus !== undefined && day.bonus.until > now;
  let leftSeconds = budgetSeconds === null ? null : Math.max(0, budgetSeconds - usedSeconds);
  const overBudget = budgetSeconds !== null && usedSeconds >= budgetSeconds;
  const verdict: Verdict = {usedSeconds, budgetSeconds, leftSeconds, bonusActive};
  if (bonusActive && (day.bonus?.endOfTrack || !overBudget)) {
    if (day.bonus?.endOfTrack && leftSeconds !== null)
      leftSeconds = Math.max(leftSeconds, Math.round(((day.bonus?.until ?? now) - now) / 1000));
    return {...verdict, leftSeconds};
  }
  const night = nights.quietAt(plan, now);
  if (night) return {...verdict, blocked: {reason: "bedtime", until: night.wake}};
  if (overBudget) return {...verdict, blocked: {reason: "budget", until: nights.budgetQuietUntil(plan, now)}};
  return verdict;
}
