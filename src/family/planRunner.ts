import {errorMessage} from "../core/errors.js";
import {DEFAULT_MORNING_VOLUME, DEFAULT_WARNING_MINUTES} from "./childPlan.js";
import type {ChildRecord, PlanQuiet} from "./familyStore.js";
import type {PlanContext} from "./planContext.js";
import {untilWords} from "./timeWords.js";
import type {ChildDay, Verdict} from "./verdict.js";

/** Steps are not carried out later than this after their time (a restart long after bedtime). */
const STALE_STEP_MS = 5 * 60_000;

/** What one evaluation decided, before anything is done: also what the benchmark measures. */
export interface PlanDecision {
  verdicts: Map<string, Verdict>;
  /** Player id → the quiet it should be in (undefined: none from the plan). */
  players: Map<string, {child: ChildRecord; quiet?: PlanQuiet}>;
}

/**
 * One pass of the plan: for every child, the verdict now; for every player, the quiet the plan
 * wants. Then make the world so (the quiet hours service does the muting, saved before the player
 * is touched), and carry out the evening steps that fell due since the last pass.
 */
export class PlanRunner {
  /** Players whose quiet could not be started (offline, Yoto refused): tried again every pass. */
  readonly #failed = new Map<string, string>();
  #last: number;

  constructor(
    readonly ctx: PlanContext,
    since: number,
  ) {
    this.#last = since;
  }

  /** Why players are not held as the plan says, for health. */
  failures(): string[] {
    return [...this.#failed.entries()].map(([id, why]) => `${this.ctx.playerName(id)}: ${why}`);
  }

  decide(now: number): PlanDecision {
    const verdicts = new Map<string, Verdict>();
    const players = new Map<string, {child: ChildRecord; quiet?: PlanQuiet}>();
    for (const child of this.ctx.data.children.values()) {
      const verdict = this.ctx.verdict(child, now);
      verdicts.set(child.name, verdict);
      for (const id of this.ctx.playersOf(child)) {
        const b = verdict.blocked;
        players.set(id, {child, ...(b ? {quiet: {child: child.name, reason: b.reason, until: b.until}} : {})});
      }
    }
    return {verdicts, players};
  }

  async pass(now: number): Promise<PlanDecision> {
    for (const child of this.ctx.data.children.values()) await this.#rollDay(child, now);
    const decision = this.decide(now);
    for (const child of this.ctx.data.children.values()) {
      const verdict = decision.verdicts.get(child.name);
      if (!verdict) continue;
      await this.#budgetMoments(child, verdict, now);
      await this.#eveningSteps(child, verdict, now);
    }
    for (const [playerId, want] of decision.players) await this.#hold(playerId, want.child, want.quiet, now);
    // Quiet the plan started on a player it no longer plans for (the child was deleted, the player taken off).
    for (const [playerId] of [...this.ctx.data.quiet])
      if (!decision.players.has(playerId)) await this.#release(playerId, undefined, now);
    this.#last = now;
    return decision;
  }

  async #rollDay(child: ChildRecord, now: number): Promise<void> {
    // Most minutes nothing is due: read, and copy only to change.
    const seen = this.ctx.dayOf(child, now);
    const newDay = this.ctx.data.day(child.name)?.date !== seen.date;
    if (!newDay && !(seen.request && seen.request.expiresAt <= now) && !(seen.bonus && seen.bonus.until <= now)) return;
    const day = this.ctx.dayToChange(child, now);
    let changed = newDay;
    if (day.request && day.request.expiresAt <= now) {
      await this.ctx.note(
        child.name,
        "expired",
        `${child.name}'s request for one more story on '${day.request.player}' expired unanswered`,
        now,
      );
      day.request = undefined;
      changed = true;
    }
    if (day.bonus && day.bonus.until <= now) {
      this.ctx.log.info(`${child.name}'s bonus is over`);
      day.bonus = undefined;
      changed = true;
    }
    if (changed) await this.ctx.saveDay(child, day);
  }

  /**
   * The warning before the budget runs out, and the moment it does (each once a day). The warning
   * is written in the journal when it comes due, and said on the players the child is playing
   * then; with none playing (it came due as a story was paused) it is said when one plays again,
   * while it still holds (a bonus since may have lifted it).
   */
  async #budgetMoments(child: ChildRecord, verdict: Verdict, now: number): Promise<void> {
    const left = verdict.leftSeconds;
    if (left === null || verdict.budgetSeconds === null) return;
    const warnAt = (child.plan.warning?.minutes ?? DEFAULT_WARNING_MINUTES) * 60;
    const seen = this.ctx.dayOf(child, now);
    const due = left > 0 && left <= warnAt && verdict.usedSeconds > 0 && !verdict.blocked;
    const note = due && !seen.warned;
    const playing = due && (note || seen.warningUnsaid) ? this.#playing(child) : [];
    const say = playing.length > 0;
    const reached = verdict.blocked?.reason === "budget" && !seen.budgetReached;
    if (!note && !say && !reached) return;
    const day = this.ctx.dayToChange(child, now);
    if (note || say) {
      day.warned = true;
      if (say) delete day.warningUnsaid;
      else day.warningUnsaid = true;
      await this.ctx.saveDay(child, day);
      if (note)
        await this.ctx.note(
          child.name,
          "warning",
          `${child.name} has ${Math.ceil(left / 60)} min of listening left today`,
          now,
        );
      for (const id of playing) await this.#step(child, "warning", id, Math.ceil(left / 60));
    }
    if (reached && verdict.blocked) {
      day.budgetReached = true;
      await this.ctx.saveDay(child, day);
      await this.ctx.note(
        child.name,
        "budget_reached",
        `${child.name} has used today's ${Math.round(verdict.budgetSeconds / 60)} min: quiet until ${untilWords(verdict.blocked.until, now, this.ctx.nights.timeZone)} or a bonus`,
        now,
      );
    }
  }

  /** Transition and wind-down on the child's own players, when their time came since the last pass. */
  async #eveningSteps(child: ChildRecord, verdict: Verdict, now: number): Promise<void> {
    const night = this.ctx.nights.nextNight(child.plan, this.#last);
    if (!night) return;
    for (const step of this.ctx.nights.steps(child.plan, night)) {
      if (!(step.at > this.#last && step.at <= now) || now - step.at > STALE_STEP_MS) continue;
      if (step.step === "bedtime" || step.step === "wake") {
        const when = step.step === "bedtime" ? "Bedtime" : "Wake time";
        await this.ctx.note(child.name, step.step, `${when} for ${child.name}`, now);
        continue;
      }
      if (verdict.blocked) continue;
      for (const id of child.plan.players) if (this.#online(id)) await this.#step(child, step.step, id);
    }
  }

  /** Make the player's quiet what the plan wants. */
  async #hold(playerId: string, child: ChildRecord, want: PlanQuiet | undefined, now: number): Promise<void> {
    if (!want) {
      if (this.ctx.data.quiet.has(playerId)) await this.#release(playerId, child, now);
      return;
    }
    const held = this.ctx.data.quiet.get(playerId);
    const same = held && held.until === want.until && held.reason === want.reason;
    // Started and still there, or ended by hand ("End now", HA's button): that is respected until
    // the next bedtime or budget. Saved but never started (a crash in between): start it now.
    if (same && held.started && !this.#failed.has(playerId)) return;
    try {
      await this.ctx.data.setQuiet(playerId, want);
      await this.ctx.quietHours.begin(playerId, want.until, {
        volume: child.plan.morning_volume ?? DEFAULT_MORNING_VOLUME,
      });
      await this.ctx.data.setQuiet(playerId, {...want, started: true});
      this.#failed.delete(playerId);
    } catch (err) {
      const why = errorMessage(err);
      if (this.#failed.get(playerId) !== why)
        this.ctx.log.warning(
          `The family plan could not keep '${this.ctx.playerName(playerId)}' quiet for ${child.name} (${why}); trying again each minute`,
        );
      this.#failed.set(playerId, why);
    }
  }

  /** End quiet the plan started: at wake with the morning volume, early (a bonus) with the volume it had. */
  async #release(playerId: string, child: ChildRecord | undefined, now: number): Promise<void> {
    const held = this.ctx.data.quiet.get(playerId);
    this.#failed.delete(playerId);
    if (!held) return;
    const period = this.ctx.quietHours.period(playerId);
    const morning = child?.plan.morning_volume ?? DEFAULT_MORNING_VOLUME;
    const volume = now >= held.until ? morning : period?.before || morning;
    try {
      if (period) await this.ctx.quietHours.end(playerId, {volume});
    } catch (err) {
      // Already ended (its own timer at wake, or by hand): nothing left to undo.
      if ((err as {code?: string}).code !== "not_quiet") {
        this.ctx.log.warning(
          `The family plan could not end the quiet on '${this.ctx.playerName(playerId)}' (${errorMessage(err)})`,
        );
        return;
      }
    }
    await this.ctx.data.setQuiet(playerId, undefined);
  }

  async #step(
    child: ChildRecord,
    step: "transition" | "wind_down" | "warning",
    playerId: string,
    minutesLeft?: number,
  ): Promise<void> {
    try {
      await this.ctx.runStep({
        child: child.name,
        step,
        player: this.ctx.playerName(playerId),
        playerId,
        ...(minutesLeft !== undefined ? {minutesLeft} : {}),
      });
    } catch (err) {
      this.ctx.log.warning(
        `The family plan's ${step.replace("_", "-")} for ${child.name} failed (${errorMessage(err)})`,
      );
    }
  }

  #online(id: string): boolean {
    try {
      return this.ctx.players.get(id).online;
    } catch {
      return false;
    }
  }

  #playing(child: ChildRecord): string[] {
    return this.ctx.playersOf(child).filter((id) => {
      try {
        return this.ctx.players.get(id).playback.status === "playing";
      } catch {
        return false;
      }
    });
  }
}

export type {ChildDay};
