import {randomUUID} from "node:crypto";
import {AppError, errorMessage, notFound} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import {Days} from "../core/time/days.js";
import type {PlayHeld} from "../gate/playGate.js";
import type {QuietHours} from "../parents/quietHours.js";
import type {StateStore} from "../store/store.js";
import {Bonuses, readBonusAsk, type VoiceAsk} from "./bonuses.js";
import {checkChildName, nameClash, savedClashes} from "./childNames.js";
import {checkChildPlan} from "./childPlan.js";
import {childPlayers, childView, quietOf} from "./childView.js";
import {endedByParent} from "./endedByParent.js";
import {type ChildRecord, FamilyStore} from "./familyStore.js";
import {heldOn, type Roster} from "./heldOn.js";
import {Nights} from "./nights.js";
import {type FamilyPlayers, PlanContext} from "./planContext.js";
import {PlanPlayers} from "./planPlayers.js";
import {type PlanRuleEngine, PlanRules} from "./planRules.js";
import {type PlanDecision, PlanRunner} from "./planRunner.js";
import type {ChildrenList, ChildView, FamilyJournalEntry} from "./types.js";

export interface FamilyPlanOptions {
  store: StateStore;
  players: FamilyPlayers;
  quietHours: Pick<QuietHours, "begin" | "end" | "period">;
  /** Today's listening per player (the listening history). */
  listening: {todaySeconds(playerId: string): number};
  streams: {has(name: string): boolean; list(): Array<{name: string}>};
  bus: EventBus;
  log: Logger;
  timeZone: string;
  /** The rule engine takes the plan's rules, and runs the ones a step starts (late-bound). */
  rules: PlanRuleEngine;
  /** Days of journal kept. */
  journalDays?: number;
  /** The clock (tests drive a week through it); the plan evaluates on each whole minute of it. */
  now?: () => number;
  /** Set false to evaluate only when `evaluate()` is called (tests with their own clock). */
  timer?: boolean;
  /**
   * Whether a player's playback is the service's own (an announcement, the card it puts back
   * after one): never a child's play, so never a request for one more story.
   */
  ownPlayback?: (playerId: string, cardId: string | null | undefined) => boolean;
}

/**
 * The family plan (docs/family-plan.md, "Family plan"): each child's players, weekly bedtimes, budget and
 * bonuses, kept in the state database. Every minute (and on every change that matters) it judges
 * each child and holds each player in quiet hours or out of them, so a restart in the middle of
 * bedtime or of a bonus ends in the state the plan says, never muted forever, never unlimited.
 */
export class FamilyPlan implements Service {
  readonly name = "family-plan";
  readonly #opts: FamilyPlanOptions;
  readonly #data: FamilyStore;
  readonly #nights: Nights;
  readonly #ctx: PlanContext;
  readonly #bonuses: Bonuses;
  readonly #planPlayers: PlanPlayers;
  readonly #rules: PlanRules;
  #runner?: PlanRunner;
  #timer?: NodeJS.Timeout;
  /** Every pass and change, one at a time: a bonus can never cross a pass that is starting quiet. */
  #chain: Promise<unknown> = Promise.resolve();
  #running = false;

  constructor(opts: FamilyPlanOptions) {
    this.#opts = opts;
    this.#data = new FamilyStore(opts.store);
    this.#nights = new Nights(opts.timeZone);
    const now = opts.now ?? Date.now;
    this.#rules = new PlanRules(opts.rules, opts.bus);
    this.#ctx = new PlanContext({
      data: this.#data,
      nights: this.#nights,
      players: opts.players,
      quietHours: opts.quietHours,
      listening: opts.listening,
      bus: opts.bus,
      log: opts.log,
      now,
      runStep: (step) => this.#rules.runStep(step),
    });
    this.#bonuses = new Bonuses(this.#ctx);
    this.#planPlayers = new PlanPlayers(this.#ctx);
  }

  get timeZone(): string {
    return this.#nights.timeZone;
  }

  async start(): Promise<void> {
    const now = this.#ctx.now();
    const today = this.#nights.days.dateOf(now);
    await this.#data.load(Days.add(today, -(this.#opts.journalDays ?? 60)));
    this.#runner = new PlanRunner(this.#ctx, now);
    for (const clash of savedClashes(this.names())) this.#opts.log.warning(`Family plan: ${clash}`);
    this.#planPlayers.load();
    this.#running = true;
    await this.#publishRules();
    const bus = this.#opts.bus;
    bus.on(this, "player.changed", ({player, previous}) => {
      if (this.#ctx.childOfPlayer(player.id) === undefined) return;
      // Asked now, not when the chain gets to it: by then the announcement may be over.
      const own = this.#opts.ownPlayback?.(player.id, player.playback.cardId) ?? false;
      void this.#serial(async () => {
        if (!own) await this.#bonuses.observe(player, previous);
        if (player.online !== previous.online || player.playback.status !== previous.playback.status)
          await this.#pass();
      });
    });
    bus.on(this, "player.added", ({player}) => {
      if (this.#ctx.childOfPlayer(player.id)) void this.#serial(() => this.#pass());
    });
    bus.on(this, "history.changed", (e) => void this.#serial(() => this.#listened(e.playerId, e.todaySeconds)));
    // Quiet over: if a parent ended the plan's quiet early, the journal says so and a waiting request is answered.
    bus.on(this, "quiet.changed", (e) => {
      if (e.until === undefined) void this.#serial(() => endedByParent(this.#ctx, e.playerId));
    });
    await this.evaluate();
    if (this.#opts.timer !== false) this.#arm();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#opts.bus.off(this);
    await this.#chain.catch(() => undefined);
  }

  health() {
    const failures = this.#runner?.failures() ?? [];
    return {
      ...(failures.length ? {degraded: true, error: `The family plan cannot hold: ${failures.join("; ")}`} : {}),
      details: {children: this.#data.children.size, timeZone: this.timeZone},
    };
  }

  /** One pass now (the timer's, and tests driving their own clock). */
  evaluate(): Promise<PlanDecision | undefined> {
    return this.#serial(() => this.#pass());
  }

  /** What a pass would decide now, without doing it: what the benchmark times. */
  decide(now = this.#ctx.now()): PlanDecision {
    return this.#runner?.decide(now) ?? {verdicts: new Map(), players: new Map()};
  }

  /** Shared players and who is listening on each: cheap, for the per-player select. */
  listeners(): ChildrenList["listeners"] {
    return this.#planPlayers.listeners();
  }

  /** Children's names, in order. */
  names(): string[] {
    return [...this.#data.children.values()].map((c) => c.name).sort((a, b) => a.localeCompare(b));
  }

  list(): ChildrenList {
    const now = this.#ctx.now();
    const listeners = this.listeners();
    const children = this.#sorted().map((child) => childView(this.#ctx, child, now));
    return {children, timeZone: this.timeZone, listeners};
  }

  /** The children (the list's order) with their players, and who listens where: no day judged. Voice reads it per request. */
  roster(): Roster {
    const children = this.#sorted().map((child) => ({name: child.name, players: childPlayers(this.#ctx, child)}));
    return {children, listeners: this.listeners()};
  }

  /** Whether the children are loaded: until then no child is known, and none is gone either. */
  get childrenLoaded(): boolean {
    return this.#running;
  }

  /** The child's name as the plan spells it, if the plan has that child: a lookup, no view made. */
  childName(name: string): string | undefined {
    return this.#data.child(name)?.name;
  }

  /** The child named so and its id (never reused: a child removed and added again has a new one). */
  childIdentity(name: string): {name: string; id: string} | undefined {
    const child = this.#data.child(name);
    return child && {name: child.name, id: child.id};
  }

  /** The name of the child with this id, if that child is still in the plan. */
  childWithId(id: string): string | undefined {
    for (const child of this.#data.children.values()) if (child.id === id) return child.name;
    return undefined;
  }

  /**
   * The players a child's page may show now, by id: its own, a shared one it listens on, one it
   * borrows (what the page's player is chosen from). None for no such child. A lookup, no view made:
   * a tablet's live events ask it on every player's tick.
   */
  pagePlayers(name: string): string[] {
    const child = this.#data.child(name);
    return child ? this.#ctx.playersOf(child) : [];
  }

  child(name: string): ChildView {
    return childView(this.#ctx, this.#record(name), this.#ctx.now());
  }

  journal(days: number): FamilyJournalEntry[] {
    const from = Days.add(this.#nights.days.dateOf(this.#ctx.now()), 1 - days);
    return [...this.#data.journal.entries()]
      .filter(([date]) => date >= from)
      .flatMap(([, entries]) => entries)
      .sort((a, b) => (a.at < b.at ? 1 : -1));
  }

  /** Create or replace a child's plan (a 400 names any bad field), then act on it at once. */
  put(rawName: string, body: Record<string, unknown>): Promise<ChildView> {
    const name = checkChildName(rawName);
    return this.#serial(async () => {
      const existing = this.#data.child(name);
      if (!existing) {
        const clash = nameClash(name, this.names());
        if (clash) throw clash;
      }
      const plan = checkChildPlan(existing?.name ?? name, body, {
        playerId: (nameOrId) => this.#planPlayers.playerId(nameOrId),
        playerNames: () => this.#opts.players.list().map((p) => p.name),
        ownerOf: (playerId, child) => this.#planPlayers.ownerOf(playerId, child),
        streamExists: (stream) => this.#opts.streams.has(stream),
        streamNames: () => this.#opts.streams.list().map((st) => st.name),
        today: this.#nights.evening(existing?.plan, this.#ctx.now()),
      });
      const record: ChildRecord = {id: existing?.id ?? randomUUID(), name: existing?.name ?? name, plan};
      await this.#data.putChild(record);
      await this.#planPlayers.prune();
      this.#opts.log.info(`Family plan: ${existing ? "changed" : "added"} ${record.name}`);
      await this.#publishRules();
      await this.#pass();
      this.#ctx.changed(record.name);
      return childView(this.#ctx, record, this.#ctx.now());
    });
  }

  delete(name: string): Promise<void> {
    return this.#serial(async () => {
      const child = this.#record(name);
      await this.#data.deleteChild(child.name);
      await this.#planPlayers.forgetListener(child.name);
      await this.#planPlayers.prune();
      this.#opts.log.info(`Family plan: removed ${child.name}`);
      await this.#publishRules();
      // Quiet the plan held for this child ends now: nothing is left muted by a child who is gone.
      await this.#pass();
      this.#ctx.changed(child.name);
    });
  }

  bonus(name: string, body: Record<string, unknown>, by: string): Promise<ChildView> {
    const ask = readBonusAsk(body);
    return this.#serial(async () => {
      const child = this.#record(name);
      await this.#bonuses.grant(child, ask, by);
      await this.#pass();
      return childView(this.#ctx, child, this.#ctx.now());
    });
  }

  answer(name: string, allow: boolean, by: string): Promise<ChildView> {
    return this.#serial(async () => {
      const child = this.#record(name);
      if (allow) await this.#bonuses.allow(child, by);
      else await this.#bonuses.notTonight(child, by);
      await this.#pass();
      return childView(this.#ctx, child, this.#ctx.now());
    });
  }

  /**
   * "One more story" for a child on one of its players (Bonuses.ask): said by voice (the plan's
   * `bonus.voice` decides), asked by an assistant (`bonus.assistant`: a parent's answer unless it
   * says grant), or pressed on the child's page (always a parent's answer).
   */
  askForMore(
    name: string,
    player: {id: string; name: string},
    by: string,
    from: "voice" | "assistant" | "page" = "voice",
  ): Promise<VoiceAsk> {
    return this.#serial(async () => {
      const child = this.#record(name);
      const grant =
        from === "page" ? false : from === "assistant" ? child.plan.bonus?.assistant === "grant" : undefined;
      const asked = await this.#bonuses.ask(child, player, by, grant);
      // Saving the day has said the child changed; a bonus lifts the quiet now.
      if (asked.result === "granted") await this.#pass();
      return asked;
    });
  }

  /** Who is listening on a shared player; the child must be in the plan. */
  setListener(playerRef: string, childName: string): Promise<ChildrenList["listeners"][number]> {
    return this.#serial(async () => {
      const {playerId, usual} = this.#planPlayers.shared(playerRef);
      const child = this.#record(childName);
      const listener = await this.#planPlayers.lend(playerId, usual, child);
      await this.#pass();
      this.#ctx.changed(child.name);
      return listener;
    });
  }

  /** Why the plan holds a player (the child's bedtime or day's listening, else quiet hours), and until when: the play gate's answer. */
  held(playerId: string): PlayHeld {
    const quiet = (name: string) => quietOf(this.#ctx, this.#record(name), this.#ctx.now());
    return heldOn(this.roster(), quiet, this.#opts.quietHours.period(playerId), playerId);
  }

  /** A play another path refused for the parents' rules (a DLNA Play in quiet hours), in the child's journal. */
  refused(playerId: string, text: string): Promise<void> {
    return this.#noteOn(playerId, "refused", text);
  }

  /** A cast on a child's player ended that its control point did not end (an announcement could not put it back). */
  castEnded(playerId: string, text: string): Promise<void> {
    return this.#noteOn(playerId, "cast_ended", text);
  }

  /** A line in a child's journal from beside the plan (story radio took a stream over, a sleep sound); none for a child gone. */
  noteFor(child: string, what: FamilyJournalEntry["what"], text: string, minutes?: number): Promise<void> {
    return this.#serial(async () => {
      if (this.#data.child(child)) await this.#ctx.note(child, what, text, this.#ctx.now(), minutes);
    });
  }

  /** A line in the journal of the child whose player it is (none when no child has it). */
  #noteOn(playerId: string, what: "refused" | "cast_ended", text: string): Promise<void> {
    // In turn with the plan's other work: two refusals at once each added to the same journal day
    // as it was before the other, and one was lost.
    return this.#serial(async () => {
      const child = this.#ctx.childOfPlayer(playerId);
      if (child) await this.#ctx.note(child.name, what, text);
    });
  }

  #sorted(): ChildRecord[] {
    return [...this.#data.children.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  #record(name: string): ChildRecord {
    const child = this.#data.child(name);
    if (!child) {
      const names = [...this.#data.children.values()].map((c) => c.name);
      throw notFound(
        `No child '${name}' in the family plan${names.length ? `: children are ${names.join(", ")}` : ""}`,
        "no_child",
      );
    }
    return child;
  }

  async #pass(): Promise<PlanDecision | undefined> {
    if (!this.#running || !this.#runner) return undefined;
    return this.#runner.pass(this.#ctx.now());
  }

  /** A shared player's listening goes to whoever is listening on it now. */
  async #listened(playerId: string, todaySeconds: number): Promise<void> {
    if (await this.#planPlayers.listened(playerId, todaySeconds)) await this.#pass();
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(work);
    this.#chain = next.catch((err) => {
      if (!(err instanceof AppError)) this.#opts.log.error(`The family plan failed (${errorMessage(err)})`);
    });
    return next;
  }

  #publishRules(): Promise<void> {
    return this.#rules.publish(this.#data.children.values());
  }

  /** On each whole minute: bedtimes and wake times are whole minutes. */
  #arm(): void {
    const now = Date.now();
    this.#timer = setTimeout(
      () => {
        if (!this.#running) return;
        void this.evaluate().finally(() => this.#running && this.#arm());
      },
      60_000 - (now % 60_000) + 50,
    );
    this.#timer.unref();
  }
}
