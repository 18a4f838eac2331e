import {closestName} from "../core/closest.js";
import {parseTimeOfDay} from "../core/time/zoned.js";
import {VOLUME_STEPS} from "../yoto/playerModel.js";
import {isObject, objectAt, problem, sayAt, timeAt, wholeNumber} from "./planFields.js";
import {Mistakes} from "./planMistakes.js";
import {checkShelf} from "./shelfField.js";
import {checkSleep} from "./sleepField.js";
import type {ChildPlan, Night, NightOverride, Weekday} from "./types.js";

export const WEEKDAYS: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const AGE = /^(\d{1,2})-(\d{1,2})$/;
const MAX_OVERRIDES = 366;
export const PLAN_KEYS = [
  "players",
  "shared_players",
  "age",
  "budget",
  "schedule",
  "overrides",
  "bedtime",
  "morning_volume",
  "bonus",
  "warning",
  "not_tonight",
  "shelf",
  "sleep",
];

export const DEFAULT_MORNING_VOLUME = 8;
export const DEFAULT_BONUS_MINUTES = 15;
export const DEFAULT_BONUS_CAP = 3;
export const DEFAULT_WARNING_MINUTES = 10;
export const DEFAULT_TRANSITION_MINUTES = 20;

/** What checking a plan needs to know about the world. */
export interface PlanChecks {
  /** The player's id, or undefined when no player has that name or id. */
  playerId(nameOrId: string): string | undefined;
  /** Known player names, for the error. */
  playerNames(): string[];
  /** The child other than `child` that has this player, if any. */
  ownerOf(playerId: string, child: string): string | undefined;
  streamExists(name: string): boolean;
  /** The streams there are, for a "did you mean" when one is mistyped. */
  streamNames(): string[];
  /**
   * Tonight's evening in the plan's zone, YYYY-MM-DD (yesterday's after midnight until its night's
   * wake: `Nights.evening`): overrides before it are refused.
   */
  today: string;
}

function night(field: string, value: unknown): Night {
  const o = objectAt(field, value, ["bedtime", "wake"]);
  const bedtime = timeAt(`${field}.bedtime`, o.bedtime);
  const wake = timeAt(`${field}.wake`, o.wake);
  if (parseTimeOfDay(bedtime) === parseTimeOfDay(wake))
    throw problem(
      field,
      "needs a wake time other than its bedtime: quiet from and until the same minute is no quiet",
      o,
    );
  return {bedtime, wake};
}

/** A value per weekday; with `m`, each day's mistake is kept and the other days still checked. */
function weekdayMap<T>(
  field: string,
  value: unknown,
  each: (field: string, v: unknown) => T,
  m?: Mistakes,
): Partial<Record<Weekday, T>> {
  if (!isObject(value)) throw problem(field, `must be an object keyed by weekday (${WEEKDAYS.join(", ")})`, value);
  const out: Partial<Record<Weekday, T>> = {};
  for (const [key, v] of Object.entries(value)) {
    const day = key.toLowerCase() as Weekday;
    const check = () => {
      if (!WEEKDAYS.includes(day))
        throw problem(`${field}.${key}`, `is not a weekday: use ${WEEKDAYS.join(", ")}`, key);
      out[day] = each(`${field}.${day}`, v);
    };
    if (m) m.take(check);
    else check();
  }
  return out;
}

function validDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

function override(field: string, value: unknown, today: string): NightOverride {
  const o = objectAt(field, value, ["date", "quiet", "bedtime", "wake", "note"]);
  if (typeof o.date !== "string" || !validDate(o.date))
    throw problem(`${field}.date`, "must be a date, YYYY-MM-DD (the evening it applies to)", o.date);
  if (o.date < today) throw problem(`${field}.date`, `is in the past (tonight is the evening of ${today})`, o.date);
  const note = o.note === undefined ? undefined : sayAt(`${field}.note`, o.note);
  if (o.quiet !== undefined) {
    if (o.quiet !== false) throw problem(`${field}.quiet`, "can only be false (no quiet that night)", o.quiet);
    if (o.bedtime !== undefined || o.wake !== undefined)
      throw problem(field, "gives either quiet: false or other bedtime and wake times, not both", o);
    return {date: o.date, quiet: false, ...(note ? {note} : {})};
  }
  return {date: o.date, ...night(field, {bedtime: o.bedtime, wake: o.wake}), ...(note ? {note} : {})};
}

function playerList(field: string, value: unknown, child: string, checks: PlanChecks, taken: Set<string>): string[] {
  if (!Array.isArray(value)) throw problem(field, "must be a list of player names", value);
  return value.map((name, i) => {
    const at = `${field}[${i}]`;
    if (typeof name !== "string" || name.trim() === "") throw problem(at, "must be a player's name or id", name);
    const id = checks.playerId(name.trim());
    if (id === undefined) {
      const known = checks.playerNames();
      throw problem(
        at,
        `names no player${known.length ? `: players are ${known.join(", ")}` : " (is the Yoto account linked?)"}`,
        name,
      );
    }
    const owner = checks.ownerOf(id, child);
    if (owner !== undefined)
      throw problem(
        at,
        `already belongs to ${owner}: a player belongs to one child at a time (take it off ${owner} first, or make it shared)`,
        name,
      );
    if (taken.has(id)) throw problem(at, "is listed twice", name);
    taken.add(id);
    return id;
  });
}

/**
 * Check a plan as `PUT /api/children/<name>` takes it: every problem is a 400 naming the field and
 * echoing the value, all of them at once. Players come back as ids (a renamed player keeps its child).
 */
export function checkChildPlan(child: string, body: Record<string, unknown>, checks: PlanChecks): ChildPlan {
  const m = new Mistakes();
  for (const key of Object.keys(body))
    if (!PLAN_KEYS.includes(key))
      m.take(() => {
        throw problem(key, `is not a field of a child's plan; the fields are ${PLAN_KEYS.join(", ")}`, body[key]);
      });
  const taken = new Set<string>();
  const players = m.take(() => playerList("players", body.players ?? [], child, checks, taken));
  const plan: ChildPlan = {players: players ?? []};
  if (body.shared_players !== undefined) {
    const shared = m.take(() => playerList("shared_players", body.shared_players, child, checks, taken));
    if (shared) plan.shared_players = shared;
  }
  const sharedRead = body.shared_players === undefined || plan.shared_players !== undefined;
  if (players && sharedRead && plan.players.length + (plan.shared_players?.length ?? 0) === 0)
    m.take(() => {
      throw problem("players", "must name at least one player the child uses", body.players ?? null);
    });
  m.take(() => checkParts(body, checks, plan, m));
  m.throwIfAny();
  return plan;
}

/** The plan's parts past its players, each checked on its own (into `m`). */
function checkParts(body: Record<string, unknown>, checks: PlanChecks, plan: ChildPlan, m: Mistakes): void {
  if (body.age !== undefined)
    m.take(() => {
      const age = typeof body.age === "string" ? AGE.exec(body.age) : null;
      if (!age || Number(age[1]) > Number(age[2]) || Number(age[2]) > 18)
        throw problem("age", 'must be an age band in years such as "3-5" (from 0 to 18)', body.age);
      plan.age = body.age as string;
    });
  if (body.budget !== undefined)
    m.take(() => {
      const b = objectAt("budget", body.budget, ["minutes", "weekdays"]);
      plan.budget = {minutes: wholeNumber("budget.minutes", b.minutes, 0, 1440, "minutes a day")};
      if (b.weekdays !== undefined)
        plan.budget.weekdays = weekdayMap("budget.weekdays", b.weekdays, (f, v) =>
          wholeNumber(f, v, 0, 1440, "minutes a day"),
        );
    });
  if (body.schedule !== undefined)
    m.take(() => {
      plan.schedule = weekdayMap("schedule", body.schedule, night, m);
    });
  if (body.overrides !== undefined)
    m.take(() => {
      plan.overrides = overrides(body.overrides, checks.today);
    });
  if (body.bedtime !== undefined)
    m.take(() => {
      plan.bedtime = bedtimeSequence(body.bedtime, checks);
    });
  if (body.morning_volume !== undefined)
    m.take(() => {
      plan.morning_volume = wholeNumber("morning_volume", body.morning_volume, 1, VOLUME_STEPS, "volume steps");
    });
  if (body.bonus !== undefined)
    m.take(() => {
      const b = objectAt("bonus", body.bonus, ["minutes", "daily_cap", "voice", "assistant"]);
      plan.bonus = {};
      // Said to a satellite, and asked by an assistant: each its own choice, the same two answers.
      for (const field of ["voice", "assistant"] as const) {
        const value = b[field];
        if (value === undefined) continue;
        if (value !== "ask" && value !== "grant")
          throw problem(
            `bonus.${field}`,
            'must be "ask" (a parent answers) or "grant" (the bonus starts at once)',
            value,
          );
        plan.bonus[field] = value;
      }
      if (b.minutes !== undefined) plan.bonus.minutes = wholeNumber("bonus.minutes", b.minutes, 1, 240, "minutes");
      if (b.daily_cap !== undefined)
        plan.bonus.daily_cap = wholeNumber("bonus.daily_cap", b.daily_cap, 0, 20, "bonuses a day");
    });
  if (body.warning !== undefined)
    m.take(() => {
      const w = objectAt("warning", body.warning, ["minutes", "say"]);
      plan.warning = {};
      if (w.minutes !== undefined) plan.warning.minutes = wholeNumber("warning.minutes", w.minutes, 1, 120, "minutes");
      const say = sayAt("warning.say", w.say);
      if (say) plan.warning.say = say;
    });
  if (body.shelf !== undefined)
    m.take(() => {
      plan.shelf = checkShelf(body.shelf, {exists: checks.streamExists, names: checks.streamNames}, m);
    });
  if (body.sleep !== undefined)
    m.take(() => {
      const sleep = checkSleep(body.sleep, {exists: checks.streamExists, names: checks.streamNames}, m);
      if (sleep) plan.sleep = sleep;
    });
  if (body.not_tonight !== undefined)
    m.take(() => {
      const n = objectAt("not_tonight", body.not_tonight, ["say"]);
      const say = sayAt("not_tonight.say", n.say);
      plan.not_tonight = say ? {say} : {};
    });
}

function overrides(value: unknown, today: string): NightOverride[] {
  if (!Array.isArray(value) || value.length > MAX_OVERRIDES)
    throw problem("overrides", `must be a list of at most ${MAX_OVERRIDES} dates`, value);
  const seen = new Set<string>();
  const list = value.map((o, i) => {
    const checked = override(`overrides[${i}]`, o, today);
    if (seen.has(checked.date)) throw problem(`overrides[${i}].date`, "is given twice", checked.date);
    seen.add(checked.date);
    return checked;
  });
  return list.sort((a, b) => (a.date < b.date ? -1 : 1));
}

function bedtimeSequence(value: unknown, checks: PlanChecks): NonNullable<ChildPlan["bedtime"]> {
  const o = objectAt("bedtime", value, ["transition", "wind_down"]);
  const out: NonNullable<ChildPlan["bedtime"]> = {};
  if (o.transition !== undefined) {
    const t = objectAt("bedtime.transition", o.transition, ["card", "stream", "minutes_before"]);
    if ((t.card === undefined) === (t.stream === undefined))
      throw problem("bedtime.transition", "names one 'card' (an id or a title) or one 'stream' to play", t);
    // Left out: 20 minutes, the panel's placeholder (a parent leaving it grey means "the usual").
    const minutes =
      t.minutes_before === undefined
        ? DEFAULT_TRANSITION_MINUTES
        : wholeNumber("bedtime.transition.minutes_before", t.minutes_before, 1, 180, "minutes");
    if (t.card !== undefined) {
      if (typeof t.card !== "string" || t.card.trim() === "" || t.card.length > 200)
        throw problem("bedtime.transition.card", "must be a card id or a card's exact title", t.card);
      out.transition = {card: t.card, minutes_before: minutes};
    } else {
      if (typeof t.stream !== "string" || !checks.streamExists(t.stream)) {
        const close = typeof t.stream === "string" ? closestName(t.stream, checks.streamNames()) : undefined;
        throw problem(
          "bedtime.transition.stream",
          close
            ? `names no stream: did you mean '${close}'? (or make it in the Streams view first)`
            : "names no stream (make it in the Streams view first)",
          t.stream,
        );
      }
      out.transition = {stream: t.stream, minutes_before: minutes};
    }
  }
  if (o.wind_down !== undefined) {
    const w = objectAt("bedtime.wind_down", o.wind_down, ["minutes", "volume"]);
    out.wind_down = {minutes: wholeNumber("bedtime.wind_down.minutes", w.minutes, 1, 120, "minutes")};
    if (w.volume !== undefined)
      out.wind_down.volume = wholeNumber("bedtime.wind_down.volume", w.volume, 0, VOLUME_STEPS, "volume steps");
  }
  return out;
}
