import {Days} from "../core/time/days.js";
import {parseTimeOfDay, zonedInstant} from "../core/time/zoned.js";
import {WEEKDAYS} from "./childPlan.js";
import type {ChildPlan, Night} from "./types.js";

/** One evening of a child's plan, as instants: quiet from `bedtime` until `wake`. */
export interface NightTimes {
  /** The evening's date (YYYY-MM-DD). */
  date: string;
  bedtime: number;
  wake: number;
  /** A date override rather than the week. */
  override: boolean;
}

/** An evening step as an instant. */
export interface PlannedStep {
  step: "transition" | "wind_down" | "bedtime" | "wake";
  at: number;
  until?: number;
}

const NOON = 12 * 3600;
/** Nights kept per plan. */
const KEPT_NIGHTS = 64;
const weekdayOf = (date: string) => WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()] ?? "sun";

/**
 * Evenings are worked out per date from the wall clock, never by adding 24 hours, so a bedtime on
 * the day the clocks change happens once, at its wall-clock time (the first 01:30 when the clocks
 * go back; the moment they jump when 02:30 does not exist). A bedtime before noon is after
 * midnight (a Saturday's "00:30" is early on Sunday); wake is the first time it reads after bedtime.
 */
export class Nights {
  readonly days: Days;
  /**
   * Each plan's nights, by date, once worked out: a plan is never changed once saved (a change
   * saves a new one), so its nights are kept with it and go with it. Every view of a child and
   * every play's check asks for a dozen nights (issue #99: most of a child's view was this).
   */
  readonly #nights = new WeakMap<ChildPlan, Map<string, NightTimes | undefined>>();

  constructor(readonly timeZone: string) {
    this.days = new Days(timeZone);
  }

  /** The night that begins on the evening of `date`, if the plan has one. */
  nightOf(plan: ChildPlan, date: string): NightTimes | undefined {
    let nights = this.#nights.get(plan);
    if (!nights) {
      nights = new Map();
      this.#nights.set(plan, nights);
    }
    if (nights.has(date)) return nights.get(date);
    const night = this.#nightOf(plan, date);
    // A few weeks' worth is plenty: a view looks a week back and on.
    if (nights.size >= KEPT_NIGHTS) nights.clear();
    nights.set(date, night);
    return night;
  }

  #nightOf(plan: ChildPlan, date: string): NightTimes | undefined {
    const override = plan.overrides?.find((o) => o.date === date);
    let times: Night | undefined;
    if (override)
      times = override.quiet === false ? undefined : {bedtime: override.bedtime ?? "", wake: override.wake ?? ""};
    else times = plan.schedule?.[weekdayOf(date)];
    if (!times) return undefined;
    const from = parseTimeOfDay(times.bedtime);
    const to = parseTimeOfDay(times.wake);
    if (from === undefined || to === undefined) return undefined;
    // A bedtime before noon is after midnight: "sat: 00:30" is late on Saturday night.
    const bedDate = from < NOON ? Days.add(date, 1) : date;
    const wakeDate = to > from ? bedDate : Days.add(bedDate, 1);
    return {
      date,
      bedtime: this.#instant(bedDate, from),
      wake: this.#instant(wakeDate, to),
      override: override !== undefined,
    };
  }

  /** The night `now` falls in (yesterday's evening or today's), if any. */
  quietAt(plan: ChildPlan, now: number): NightTimes | undefined {
    const today = this.days.dateOf(now);
    for (const date of [Days.add(today, -1), today]) {
      const night = this.nightOf(plan, date);
      if (night && night.bedtime <= now && now < night.wake) return night;
    }
    return undefined;
  }

  /** The first night whose wake is after `now` (the one under way, or the next), within a week. */
  nextNight(plan: ChildPlan, now: number): NightTimes | undefined {
    const today = this.days.dateOf(now);
    for (let add = -1; add <= 7; add++) {
      const night = this.nightOf(plan, Days.add(today, add));
      if (night && night.wake > now) return night;
    }
    return undefined;
  }

  /**
   * The evening "tonight" means at `now`: after midnight, yesterday's, until its night's wake (with
   * no night planned for yesterday, until noon: a bedtime before noon is after midnight); otherwise
   * today's. A date that differs from the week is set for it from then on, never tomorrow's instead.
   */
  evening(plan: ChildPlan | undefined, now: number): string {
    const today = this.days.dateOf(now);
    const yesterday = Days.add(today, -1);
    const night = plan ? this.nightOf(plan, yesterday) : undefined;
    const until = night ? night.wake : this.#instant(today, NOON);
    return now < until ? yesterday : today;
  }

  /** When quiet for a used-up budget ends: the next wake, else the start of tomorrow (a new budget). */
  budgetQuietUntil(plan: ChildPlan, now: number): number {
    const night = this.nextNight(plan, now);
    const tomorrow = this.days.startOf(Days.add(this.days.dateOf(now), 1));
    return night && night.wake > now ? night.wake : tomorrow;
  }

  /** The evening's steps in order: transition, wind-down, bedtime, wake (each only if planned). */
  steps(plan: ChildPlan, night: NightTimes): PlannedStep[] {
    const out: PlannedStep[] = [];
    const transition = plan.bedtime?.transition;
    const wind = plan.bedtime?.wind_down;
    if (transition) out.push({step: "transition", at: night.bedtime - transition.minutes_before * 60_000});
    if (wind) out.push({step: "wind_down", at: night.bedtime - wind.minutes * 60_000, until: night.bedtime});
    out.push({step: "bedtime", at: night.bedtime, until: night.wake});
    out.push({step: "wake", at: night.wake});
    return out.sort((a, b) => a.at - b.at);
  }

  #instant(date: string, seconds: number): number {
    const [y, m, d] = date.split("-").map(Number) as [number, number, number];
    return zonedInstant(y, m, d, seconds, this.timeZone);
  }
}
