import {mdiHumanChild} from "@mdi/js";
import {css, html, nothing} from "lit";
import {type ChildView, WEEK, type Weekday} from "../data/family.js";
import {minutes} from "./format.js";
import {mdi} from "./mdi.js";

/**
 * The child a player's listening counts for now: the child it belongs to, or on a shared player
 * the one listening (the service marks exactly that entry `listening`).
 */
export function childListeningOn(children: ChildView[] | undefined, playerId: string): ChildView | undefined {
  return children?.find((c) => c.players.some((p) => p.id === playerId && p.listening));
}

/**
 * On a player's card: whose minutes its listening counts against, "Mia: 45 of 60 min" (today's
 * budget with today's bonus), or "Mia: 45 min today" without a budget. Quiet is the card's own
 * quiet-hours chip: it is not said twice.
 */
export function renderChildChip(child: ChildView | undefined) {
  if (!child) return nothing;
  const budget = child.minutes_budget;
  const spent = budget !== null && child.minutes_used >= budget;
  const used = budget === null ? `${minutes(child.minutes_used)} today` : `${child.minutes_used} of ${budget} min`;
  const left = child.minutes_left === null ? "no daily limit" : `${minutes(child.minutes_left)} left`;
  return html`<div class="child-line"><span class="chip child ${spent ? "spent" : ""}" data-testid="child-chip"
    title="${child.name}'s listening today: ${used}, ${left}">
    ${mdi(mdiHumanChild, 16)}<span class="name">${child.name}</span><span class="used">: ${used}</span>
  </span></div>`;
}

/** The chip's look on the card: a long name gives way ("Leonora-Max…: 12 of 60 min"); its title has it whole. */
export const childChipStyles = css`
  .chip.spent {
    background: color-mix(in srgb, var(--yss-warning) 22%, transparent);
  }
  .child-line {
    margin-top: 4px;
  }
  .chip.child {
    max-width: 100%;
    min-width: 0;
    gap: 0;
    white-space: nowrap;
  }
  .chip.child svg {
    flex: none;
    margin-right: 4px;
  }
  .chip.child .name {
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .chip.child .used {
    flex: none;
  }
`;

/** A child's daily budget as the plan sets it (before bonuses), for drawing against the days. */
export interface DailyBudget {
  child: string;
  minutes: number;
  weekdays?: Partial<Record<Weekday, number>>;
}

export function dailyBudget(child: ChildView | undefined): DailyBudget | undefined {
  const budget = child?.plan.budget;
  return child && budget ? {child: child.name, minutes: budget.minutes, weekdays: budget.weekdays} : undefined;
}

/** `getUTCDay()` order. */
const BY_DAY: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** The budget on a date (`YYYY-MM-DD`): that weekday's own minutes, or the plan's minutes a day. */
export function budgetOn(budget: DailyBudget, date: string): number {
  const day = BY_DAY[new Date(`${date}T12:00:00Z`).getUTCDay()] as Weekday;
  return budget.weekdays?.[day] ?? budget.minutes;
}

const dayName = (d: Weekday) => `${d[0]?.toUpperCase()}${d.slice(1)}`;

/** "Mia's budget (60 min)"; weekdays that differ follow, "Mia's budget (60 min; Sat, Sun 90 min)". */
export function budgetLabel(budget: DailyBudget): string {
  const other = new Map<number, Weekday[]>();
  for (const day of WEEK) {
    const m = budget.weekdays?.[day];
    if (m !== undefined && m !== budget.minutes) other.set(m, [...(other.get(m) ?? []), day]);
  }
  const rest = [...other].map(([m, days]) => `; ${days.map(dayName).join(", ")} ${m} min`).join("");
  return `${budget.child}'s budget (${budget.minutes} min${rest})`;
}
