// Not the panel's data module (it fetches): the editor's draft is plain data, tested without a browser.
import type {ChildPlan, NightOverride, Weekday} from "../../../src/shared/api/index.js";
import {WEEK} from "../data/week.js";

/**
 * A child's plan as the editor holds it: every field a string, as the inputs give them, so a half
 * typed value stays on screen. `toPlan` turns it back into the plan the service checks; the panel
 * does not judge the values, the service does and names the field it refuses.
 */
export interface NightDraft {
  bedtime: string;
  wake: string;
}

export interface OverrideDraft extends NightDraft {
  date: string;
  /** false: no quiet that night; true: the other times below. */
  quiet: boolean;
  note: string;
}

/** How a child uses each player, by name: their own, a shared one, or not at all (absent). */
export type PlayerUse = "own" | "shared";

export interface PlanDraft {
  age: string;
  players: Record<string, PlayerUse>;
  schedule: Record<Weekday, NightDraft>;
  overrides: OverrideDraft[];
  budget: string;
  budgetDays: Record<Weekday, string>;
  morningVolume: string;
  bonusMinutes: string;
  bonusCap: string;
  /** "One more story" said to Home Assistant: "" asks a parent (the default), "grant" grants at once. */
  bonusVoice: "" | "grant";
  /** "One more story" asked by an assistant (MCP): "" asks a parent (the default), "grant" grants at once. */
  bonusAssistant: "" | "grant";
  transitionKind: "" | "card" | "stream";
  transitionWhat: string;
  transitionBefore: string;
  windMinutes: string;
  windVolume: string;
  warningMinutes: string;
  warningSay: string;
  notTonightSay: string;
  /** The shelf's references, in order (docs/child.md). */
  shelf: string[];
  /** Sleep sounds at night (docs/family-plan.md, "At night"): references, comma-separated, as typed. */
  sleepSounds: string;
  sleepVolume: string;
  sleepMinutes: string;
  sleepPerNight: string;
  sleepLight: string;
}

const text = (v: number | string | undefined) => (v === undefined ? "" : String(v));
const week = <T>(each: (day: Weekday) => T) => Object.fromEntries(WEEK.map((d) => [d, each(d)])) as Record<Weekday, T>;

export function draftOf(plan: ChildPlan): PlanDraft {
  const players: Record<string, PlayerUse> = {};
  for (const p of plan.players) players[p] = "own";
  for (const p of plan.shared_players ?? []) players[p] = "shared";
  const t = plan.bedtime?.transition;
  return {
    age: plan.age ?? "",
    players,
    schedule: week((d) => ({bedtime: plan.schedule?.[d]?.bedtime ?? "", wake: plan.schedule?.[d]?.wake ?? ""})),
    overrides: (plan.overrides ?? []).map((o) => ({
      date: o.date,
      quiet: o.quiet !== false,
      bedtime: o.bedtime ?? "",
      wake: o.wake ?? "",
      note: o.note ?? "",
    })),
    budget: text(plan.budget?.minutes),
    budgetDays: week((d) => text(plan.budget?.weekdays?.[d])),
    morningVolume: text(plan.morning_volume),
    bonusMinutes: text(plan.bonus?.minutes),
    bonusCap: text(plan.bonus?.daily_cap),
    bonusVoice: plan.bonus?.voice === "grant" ? "grant" : "",
    bonusAssistant: plan.bonus?.assistant === "grant" ? "grant" : "",
    transitionKind: t?.card !== undefined ? "card" : t?.stream !== undefined ? "stream" : "",
    transitionWhat: t?.card ?? t?.stream ?? "",
    transitionBefore: text(t?.minutes_before),
    windMinutes: text(plan.bedtime?.wind_down?.minutes),
    windVolume: text(plan.bedtime?.wind_down?.volume),
    warningMinutes: text(plan.warning?.minutes),
    warningSay: plan.warning?.say ?? "",
    notTonightSay: plan.not_tonight?.say ?? "",
    shelf: [...(plan.shelf ?? [])],
    sleepSounds: (plan.sleep?.sounds ?? []).join(", "),
    sleepVolume: text(plan.sleep?.volume),
    sleepMinutes: text(plan.sleep?.minutes),
    sleepPerNight: text(plan.sleep?.per_night),
    sleepLight: plan.sleep?.light ?? "",
  };
}

/**
 * An empty field is "not set" (the service's default). Anything else goes as a number when it is
 * one and as typed when not, so the service's refusal echoes what the parent wrote.
 */
function num(value: string): number | undefined {
  const v = value.trim();
  if (v === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : (v as unknown as number);
}

/** Drops the keys whose value is undefined: an absent field, not `"x": null`, is "not set". */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const some = (o: object) => Object.keys(o).length > 0;
const trimmed = (v: string) => v.trim() || undefined;

export function toPlan(d: PlanDraft): ChildPlan {
  const uses = Object.entries(d.players);
  const plan: ChildPlan = {players: uses.filter(([, u]) => u === "own").map(([p]) => p)};
  const shared = uses.filter(([, u]) => u === "shared").map(([p]) => p);
  if (shared.length) plan.shared_players = shared;
  if (d.age.trim()) plan.age = d.age.trim();
  // A night with neither time is a night without quiet; one time alone goes, for the service to name.
  const schedule = Object.fromEntries(
    WEEK.filter((day) => d.schedule[day].bedtime || d.schedule[day].wake).map((day) => [day, {...d.schedule[day]}]),
  );
  if (some(schedule)) plan.schedule = schedule;
  if (d.overrides.length) plan.overrides = d.overrides.map(overrideOf);
  const weekdays = defined(week((day) => num(d.budgetDays[day])));
  if (d.budget.trim() || some(weekdays))
    plan.budget = defined({minutes: num(d.budget) as number, weekdays: some(weekdays) ? weekdays : undefined});
  const what = d.transitionWhat.trim();
  const before = num(d.transitionBefore) as number;
  const transition =
    d.transitionKind === "card"
      ? {card: what, minutes_before: before}
      : d.transitionKind === "stream"
        ? {stream: what, minutes_before: before}
        : undefined;
  const windDown =
    d.windMinutes.trim() || d.windVolume.trim()
      ? defined({minutes: num(d.windMinutes) as number, volume: num(d.windVolume)})
      : undefined;
  if (transition || windDown) plan.bedtime = defined({transition, wind_down: windDown});
  const morning = num(d.morningVolume);
  if (morning !== undefined) plan.morning_volume = morning;
  const bonus = defined({
    minutes: num(d.bonusMinutes),
    daily_cap: num(d.bonusCap),
    voice: d.bonusVoice === "grant" ? ("grant" as const) : undefined,
    assistant: d.bonusAssistant === "grant" ? ("grant" as const) : undefined,
  });
  if (some(bonus)) plan.bonus = bonus;
  const warning = defined({minutes: num(d.warningMinutes), say: trimmed(d.warningSay)});
  if (some(warning)) plan.warning = warning;
  if (d.notTonightSay.trim()) plan.not_tonight = {say: d.notTonightSay.trim()};
  if (d.shelf.length) plan.shelf = [...d.shelf];
  const sleep = sleepOf(d);
  if (sleep) plan.sleep = sleep;
  return plan;
}

/** The sleep sounds as typed; numbers without sounds still go, for the service to say what is missing. */
function sleepOf(d: PlanDraft): ChildPlan["sleep"] {
  const sounds = d.sleepSounds
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const limits = defined({
    volume: num(d.sleepVolume),
    minutes: num(d.sleepMinutes),
    per_night: num(d.sleepPerNight),
    light: trimmed(d.sleepLight),
  });
  return sounds.length || some(limits) ? {sounds, ...limits} : undefined;
}

function overrideOf(o: OverrideDraft): NightOverride {
  const note = trimmed(o.note);
  if (!o.quiet) return defined({date: o.date, quiet: false as const, note});
  return defined({date: o.date, bedtime: o.bedtime, wake: o.wake, note});
}

/** The field a refusal names: `'schedule.mon.wake' must be…` → `schedule.mon.wake`. */
export function fieldOf(message: string | undefined): string | undefined {
  return message?.match(/^'([^']+)'/)?.[1];
}

/** Whether an input at `path` is the one refused (or inside it: `schedule.mon` covers both times). */
export function isInvalid(refused: string | undefined, path: string): boolean {
  if (!refused) return false;
  return path === refused || path.startsWith(`${refused}.`) || path.startsWith(`${refused}[`);
}
