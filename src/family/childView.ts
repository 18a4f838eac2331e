import {Days} from "../core/time/days.js";
import {WIND_DOWN_LEVEL} from "../parents/playerVolumes.js";
import {DEFAULT_BONUS_CAP, DEFAULT_MORNING_VOLUME} from "./childPlan.js";
import type {ChildRecord} from "./familyStore.js";
import type {NightTimes, PlannedStep} from "./nights.js";
import type {PlanContext} from "./planContext.js";
import {clockOf} from "./timeWords.js";
import type {BonusRequest, ChildPlan, ChildView, FamilyJournalEntry, JournalPart, TimelineStep} from "./types.js";
import type {PendingRequest, Verdict} from "./verdict.js";

const iso = (t: number) => new Date(t).toISOString();
const minutes = (seconds: number) => Math.round(seconds / 60);

/** A child as the API and the panel see it: the plan (players by name), today, and tonight. */
export function childView(ctx: PlanContext, child: ChildRecord, now: number): ChildView {
  const day = ctx.dayOf(child, now);
  const verdict = ctx.verdict(child, now);
  const named = (ids: string[] | undefined) => ids?.map((id) => ctx.playerName(id));
  const plan: ChildPlan = {...child.plan, players: named(child.plan.players) ?? []};
  if (child.plan.shared_players) plan.shared_players = named(child.plan.shared_players);
  const players = childPlayers(ctx, child);
  const cap = child.plan.bonus?.daily_cap ?? DEFAULT_BONUS_CAP;
  const bonus = day.bonus && day.bonus.until > now ? day.bonus : undefined;
  const request = day.request && day.request.expiresAt > now ? day.request : undefined;
  const quiet = quietOf(ctx, child, now, verdict);
  return {
    name: child.name,
    plan,
    players,
    date: day.date,
    evening: ctx.nights.evening(child.plan, now),
    minutes_used: minutes(verdict.usedSeconds),
    minutes_budget: verdict.budgetSeconds === null ? null : minutes(verdict.budgetSeconds),
    minutes_left: verdict.leftSeconds === null ? null : minutes(verdict.leftSeconds),
    quiet_until: quiet ? iso(quiet.until) : null,
    quiet_reason: quiet?.reason ?? null,
    bonus: bonus
      ? {
          granted_at: iso(bonus.grantedAt),
          until: iso(bonus.until),
          ...(bonus.minutes ? {minutes: bonus.minutes} : {}),
          ...(bonus.endOfTrack ? {end_of_track: true} : {}),
          by: bonus.by,
        }
      : null,
    bonus_minutes: day.bonusMinutes,
    bonuses_today: day.bonuses,
    bonuses_left: Math.max(0, cap - day.bonuses),
    request: request ? requestView(request) : null,
    tonight: tonight(ctx, child, now),
    tonight_evening: ctx.nights.nextNight(child.plan, now)?.date ?? null,
    journal: (ctx.data.journal.get(day.date) ?? []).filter((e) => e.child === child.name),
    journal_by_night: journalByNight(ctx, child, now),
  };
}

/** The child's players as the view names them: its own, then its shared ones (listening or lent). */
export function childPlayers(ctx: PlanContext, child: ChildRecord): ChildView["players"] {
  const acting = new Set(ctx.playersOf(child));
  return [
    ...child.plan.players.map((id) => ({id, name: ctx.playerName(id), shared: false, listening: true})),
    ...(child.plan.shared_players ?? []).map((id) => ({
      id,
      name: ctx.playerName(id),
      shared: true,
      listening: acting.has(id),
    })),
  ];
}

/** The quiet the plan holds the child in now, as its view says it; none once a parent ended it by hand (End now), until the plan's next bedtime or used-up budget. */
export function quietOf(
  ctx: PlanContext,
  child: ChildRecord,
  now: number,
  verdict = ctx.verdict(child, now),
): Verdict["blocked"] {
  return verdict.blocked && !ctx.endedByHand(child, now) ? verdict.blocked : undefined;
}

/**
 * The journal told the way a family lives it. A night runs from its evening's first step until
 * wake: after midnight it is still tonight (the calendar date had cut off the evening's bedtime
 * and requests), and after wake it is last night (it had been filed under "Today").
 */
export function journalByNight(ctx: PlanContext, child: ChildRecord, now: number): JournalPart[] {
  const nights = ctx.nights;
  const evening = (n: NightTimes) => nights.steps(child.plan, n)[0]?.at ?? n.bedtime;
  const entries = (from: number, to: number): FamilyJournalEntry[] => {
    const out: FamilyJournalEntry[] = [];
    for (let date = nights.days.dateOf(from); date <= nights.days.dateOf(to); date = Days.add(date, 1))
      for (const e of ctx.data.journal.get(date) ?? []) {
        const at = Date.parse(e.at);
        if (e.child === child.name && at >= from && at <= to) out.push(e);
      }
    return out;
  };
  // The day runs from this date's wake (the night before ended today) or else from midnight.
  const dayStart = (t: number) => {
    const date = nights.days.dateOf(t);
    const before = lastNight(ctx, child, t);
    return before && nights.days.dateOf(before.wake) === date ? before.wake : nights.days.startOf(date);
  };
  const night = nights.nextNight(child.plan, now);
  if (night && now >= evening(night)) {
    const start = evening(night);
    const parts: JournalPart[] = [{part: "tonight", entries: entries(start, now)}];
    if (nights.days.dateOf(now) === nights.days.dateOf(start))
      parts.push({part: "today", entries: entries(dayStart(start), start - 1)});
    return parts;
  }
  const parts: JournalPart[] = [{part: "today", entries: entries(dayStart(now), now)}];
  const ended = lastNight(ctx, child, now);
  if (ended && nights.days.dateOf(ended.wake) === nights.days.dateOf(now)) {
    const last = entries(evening(ended), ended.wake - 1);
    if (last.length > 0) parts.push({part: "last_night", entries: last});
  }
  return parts;
}

/** The most recent night that had ended by `t` (its wake at or before it), within a week. */
function lastNight(ctx: PlanContext, child: ChildRecord, t: number): NightTimes | undefined {
  const today = ctx.nights.days.dateOf(t);
  for (let back = 0; back <= 7; back++) {
    const night = ctx.nights.nightOf(child.plan, Days.add(today, -back));
    if (night && night.wake <= t) return night;
  }
  return undefined;
}

/** A pending request as the wire contract has it (times as ISO, nothing of our own bookkeeping). */
export function requestView({at, expiresAt, ...rest}: PendingRequest): BonusRequest {
  return {...rest, at: iso(at), expires_at: iso(expiresAt)};
}

/**
 * The evening under way or the next one, as the plan will carry it out: the same Nights and steps
 * the runner uses, so the dry run and the real run cannot disagree.
 */
export function tonight(ctx: PlanContext, child: ChildRecord, now: number): TimelineStep[] {
  const night = ctx.nights.nextNight(child.plan, now);
  if (!night) return [];
  const wind = child.plan.bedtime?.wind_down;
  const transition = child.plan.bedtime?.transition;
  const clock = (t: number) => clockOf(t, ctx.nights.timeZone);
  const text = (s: PlannedStep): string => {
    switch (s.step) {
      case "transition":
        return `${transition?.card ? `Transition card ${transition.card}` : `'${transition?.stream}'`} plays`;
      case "wind_down":
        return `Wind-down to volume ${wind?.volume ?? WIND_DOWN_LEVEL}, ${clock(s.at)}–${clock(s.until ?? s.at)}`;
      case "bedtime":
        return `Quiet ${clock(s.at)}–${clock(s.until ?? s.at)}${night.override ? " (a date override)" : ""}`;
      default:
        return `Wake: volume back to ${child.plan.morning_volume ?? DEFAULT_MORNING_VOLUME}`;
    }
  };
  return ctx.nights.steps(child.plan, night).map((s) => ({
    step: s.step,
    at: iso(s.at),
    ...(s.until !== undefined ? {until: iso(s.until)} : {}),
    text: text(s),
  }));
}
