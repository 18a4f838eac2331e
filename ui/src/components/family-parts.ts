import {html, nothing} from "lit";
import type {ChildView, FamilyJournalEntry, JournalPart, TimelineStep} from "../data/family.js";
import {clockIn, eveningLabel, untilLabel} from "./family-time.js";
import {minutes} from "./format.js";
import {label} from "./labels.js";

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

/**
 * Today: "45 of 60 min" over a bar, what is left, and whether the child is kept quiet now. Times
 * are on the family's clock (`timeZone`, the plan's).
 */
export function renderToday(c: ChildView, timeZone?: string) {
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
          ? html`<span class="chip quiet">Quiet until ${untilLabel(c.quiet_until, timeZone)}</span>
              <span class="small muted">${quietReasonLabel(c.quiet_reason ?? undefined)}</span>`
          : html`<span class="chip good">May listen now</span>`
      }
    </div>
    ${
      c.bonus
        ? html`<div class="small" data-testid="bonus">
            Bonus${c.bonus.minutes ? ` of ${c.bonus.minutes} min` : ""} until
            ${
              c.bonus.end_of_track
                ? html`the track ends (${clockIn(c.bonus.until, timeZone)} at the latest)`
                : clockIn(c.bonus.until, timeZone)
            },
            from ${c.bonus.by}
          </div>`
        : nothing
    }
  </div>`;
}

/**
 * The service writes a step's span on a 24-hour clock ("Quiet 19:30–07:00"); the page writes
 * every other time the browser's way ("7:30 PM"), so the span is written that way too.
 */
function localRange(s: TimelineStep, timeZone?: string): string {
  if (!s.until) return s.text;
  return s.text.replace(/\b\d{2}:\d{2}–\d{2}:\d{2}\b/, `${clockIn(s.at, timeZone)}–${clockIn(s.until, timeZone)}`);
}

/**
 * The evening's steps: the time, and the service's sentence, which already names the step
 * ("Wind-down to volume 3, 19:20–19:30").
 */
function renderSteps(steps: TimelineStep[], timeZone?: string) {
  if (steps.length === 0) return html`<p class="small muted">No quiet planned tonight.</p>`;
  return html`<ol class="plain timeline small">
    ${steps.map(
      (s) => html`<li data-step=${s.step}>
        <time datetime=${s.at}>${clockIn(s.at, timeZone)}</time>
        <span>${localRange(s, timeZone)}</span>
      </li>`,
    )}
  </ol>`;
}

/** What happened, newest first; the service words each entry as a sentence. */
function renderEntries(entries: FamilyJournalEntry[], part: JournalPart["part"], timeZone?: string) {
  const newest = [...entries].sort((a, b) => (a.at < b.at ? 1 : -1));
  return html`<ul class="plain timeline small" data-testid="journal" data-part=${part}>
    ${newest.map(
      (e) => html`<li data-what=${e.what}>
        <time datetime=${e.at}>${clockIn(e.at, timeZone)}</time>
        <span>${e.text}</span>
      </li>`,
    )}
  </ul>`;
}

/**
 * "Tonight" over the steps when they are tonight's (the night under way, after midnight too, or
 * today's evening); when tonight has no night planned they are the next planned evening's, and the
 * heading says which ("Next evening: Monday, December 7"), or a parent reads Monday's bedtime as
 * tonight's.
 */
export function tonightHeading(c: Pick<ChildView, "tonight_evening" | "evening" | "date">): string {
  const e = c.tonight_evening;
  return !e || e === c.evening || e === c.date ? "Tonight" : `Next evening: ${eveningLabel(e)}`;
}

/**
 * Tonight's steps as the service will carry them out (its dry run), then what happened since the
 * evening began: a night runs until wake, so after midnight its bedtime and requests are still here.
 */
export function renderTonight(steps: TimelineStep[], tonight: JournalPart | undefined, timeZone?: string) {
  return html`${renderSteps(steps, timeZone)}
    ${
      tonight?.entries.length
        ? html`<p class="small muted so-far">So far tonight</p>
            ${renderEntries(tonight.entries, "tonight", timeZone)}`
        : nothing
    }`;
}

/** The day since wake ("Today"), and the night that ended at it ("Last night") until the evening. */
export function renderDays(parts: JournalPart[], timeZone?: string) {
  const today = parts.find((p) => p.part === "today");
  const last = parts.find((p) => p.part === "last_night");
  return html`${
    today
      ? html`<h3>Today</h3>
          ${
            today.entries.length
              ? renderEntries(today.entries, "today", timeZone)
              : html`<p class="small muted">Nothing yet today.</p>`
          }`
      : nothing
  }
    ${last?.entries.length ? html`<h3>Last night</h3>${renderEntries(last.entries, "last_night", timeZone)}` : nothing}`;
}
