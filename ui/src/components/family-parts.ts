import {html, nothing} from "lit";
import type {ChildView, FamilyJournalEntry, TimelineStep} from "../data/family.js";
import {minutes} from "./format.js";
import {label} from "./labels.js";
import {quietUntilLabel} from "./player-parts.js";

/** A moment of today or tonight in the browser's own way of writing times ("7:30 PM", "19:30"). */
export const clock = (iso: string) => new Date(iso).toLocaleTimeString(undefined, {timeStyle: "short"});

export const quietReasonLabel = label<NonNullable<ChildView["quiet_reason"]>>({
  bedtime: "bedtime",
  budget: "today's minutes are used",
});

const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

/** Today's minutes as the plan sets them, before bonuses (the service's `minutes_budget` includes them). */
function planned(c: ChildView): number | undefined {
  const budget = c.plan.budget;
  if (!budget) return undefined;
  const day = WEEKDAYS[new Date(`${c.date}T12:00:00Z`).getUTCDay()] as (typeof WEEKDAYS)[number];
  return budget.weekdays?.[day] ?? budget.minutes;
}

/** Today: "45 of 60 min" over a bar, what is left, and whether the child is kept quiet now. */
export function renderToday(c: ChildView) {
  const budget = c.minutes_budget;
  const plan = planned(c);
  const bonus = budget !== null && plan !== undefined && budget > plan ? budget - plan : 0;
  return html`<div class="today" data-testid="today">
    ${
      budget === null
        ? html`<div><strong>${minutes(c.minutes_used)}</strong> today <span class="muted">(no daily limit)</span></div>`
        : html`<div class="row used">
            <span><strong>${c.minutes_used} of ${budget} min</strong> today${bonus ? html` <span class="small muted">(${plan} + ${bonus} bonus)</span>` : nothing}</span>
            <span class="muted">${c.minutes_left === null ? "" : `${minutes(c.minutes_left)} left`}</span>
          </div>
          <progress max=${Math.max(budget, 1)} .value=${Math.min(c.minutes_used, budget)}
            aria-label="${c.name}: ${c.minutes_used} of ${budget} minutes used today"></progress>`
    }
    <div class="state" data-testid="quiet-state">
      ${
        c.quiet_until
          ? html`<span class="chip quiet">Quiet until ${quietUntilLabel(c.quiet_until)}</span>
              <span class="small muted">${quietReasonLabel(c.quiet_reason ?? undefined)}</span>`
          : html`<span class="chip good">May listen now</span>`
      }
    </div>
    ${
      c.bonus
        ? html`<div class="small" data-testid="bonus">
            Bonus${c.bonus.minutes ? ` of ${c.bonus.minutes} min` : ""} until
            ${c.bonus.end_of_track ? html`the track ends (${clock(c.bonus.until)} at the latest)` : clock(c.bonus.until)},
            from ${c.bonus.by}
          </div>`
        : nothing
    }
  </div>`;
}

/**
 * The service writes a step's span in its own zone and 24-hour clock ("Quiet 19:30–07:00"); the
 * page shows every other time in the browser's way, so the span is written that way too.
 */
function localRange(s: TimelineStep): string {
  if (!s.until) return s.text;
  return s.text.replace(/\b\d{2}:\d{2}–\d{2}:\d{2}\b/, `${clock(s.at)}–${clock(s.until)}`);
}

/**
 * Tonight's steps as the service will carry them out (its dry run): the time, and the service's
 * sentence, which already names the step ("Wind-down to volume 3, 19:20–19:30").
 */
export function renderTonight(steps: TimelineStep[]) {
  if (steps.length === 0) return html`<p class="small muted">No quiet planned tonight.</p>`;
  return html`<ol class="plain timeline small">
    ${steps.map(
      (s) => html`<li data-step=${s.step}>
        <time datetime=${s.at}>${clock(s.at)}</time>
        <span>${localRange(s)}</span>
      </li>`,
    )}
  </ol>`;
}

/** What happened today, newest first; the service words each entry as a sentence. */
export function renderJournal(entries: FamilyJournalEntry[]) {
  if (entries.length === 0) return html`<p class="small muted">Nothing yet today.</p>`;
  const newest = [...entries].sort((a, b) => (a.at < b.at ? 1 : -1));
  return html`<ul class="plain timeline small" data-testid="journal">
    ${newest.map(
      (e) => html`<li data-what=${e.what}>
        <time datetime=${e.at}>${clock(e.at)}</time>
        <span>${e.text}</span>
      </li>`,
    )}
  </ul>`;
}
