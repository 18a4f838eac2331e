import {randomUUID} from "node:crypto";
import {AppError, badRequest, errorMessage} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
import type {PlayGate} from "../gate/playGate.js";
import type {PlayRoute} from "../gate/types.js";
import type {QuietLift} from "../parents/types.js";
import type {StateStore} from "../store/store.js";
import type {Admission} from "../yoto/admission.js";
import {type PlayerState, VOLUME_PERCENTS} from "../yoto/playerModel.js";
import {childPlayer} from "./childPlayer.js";
import {shelfRef} from "./shelfField.js";
import {type SleepAsk, soundOf} from "./sleepAsk.js";
import {DEFAULT_SLEEP_VOLUME, DEFAULT_SLEEPS_A_NIGHT} from "./sleepField.js";
import {LIGHT_OFF, sleepLight} from "./sleepLight.js";
import {runView, type SleepRun, SleepRuns} from "./sleepRuns.js";
import {clockOf} from "./timeWords.js";
import type {ChildrenList, ChildView, FamilyJournalEntry, SleepAnswer, SleepPlan, SleepState} from "./types.js";

/** What the catalogue plays a sleep sound as: its title is what the family and the journal call it. */
export interface Playable {
  readonly title: string;
}

/** setTimeout's longest wait; a longer one is waited in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SleepSoundsDeps {
  family: {
    child(name: string): ChildView;
    listeners(): ChildrenList["listeners"];
    noteFor(child: string, what: FamilyJournalEntry["what"], text: string, minutes?: number): Promise<void>;
  };
  players: Pick<GatedPlayers, "list" | "get" | "command">;
  gate: Pick<PlayGate, "sleep">;
  quiet: {
    lift(playerId: string, opts: {maxVolume: number; for: string}): Promise<QuietLift | undefined>;
    period(playerId: string): {until: number} | undefined;
  };
  /**
   * The family's one catalogue (src/playing, a floor above): what a reference as a shelf writes it
   * names now, and how it plays.
   */
  catalogue: {
    byRef(ref: string): Promise<Playable | undefined>;
    play(playerId: string, choice: Playable, admission: Admission): Promise<unknown>;
  };
  store: StateStore;
  bus: EventBus;
  log: Logger;
  timeZone(): string;
  now(): number;
  /** A minute of the plan's `sleep.minutes` (tests shorten it). */
  minuteMs?: number;
}

/**
 * A child's sleep sounds (docs/family-plan.md, "At night"): started by the house, a parent, voice
 * or the child's page, let through the play gate at bedtime and in quiet hours within the plan's
 * limits (the sounds, the volume, how many a night), and stopped after their minutes, at wake, by
 * a parent's End now or stop, or when something else plays. Each start and end is journaled.
 */
export class SleepSounds implements Service {
  readonly name = "sleep-sounds";
  readonly #deps: SleepSoundsDeps;
  readonly #runs: SleepRuns;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  /** The quiet lifted for each run playing at night: released (max volume 0 again) when it ends. */
  readonly #lifts = new Map<string, QuietLift>();
  /** The card each run's player held before the run started: never taken for the sound's own. */
  readonly #before = new Map<string, string | null>();
  /** Players a sleep sound is starting on: what they start is the sound's, before its run is saved. */
  readonly #starting = new Set<string>();
  /** Starts and ends one at a time: two starts at once cannot both pass the night's limit. */
  #chain: Promise<unknown> = Promise.resolve();

  constructor(deps: SleepSoundsDeps) {
    this.#deps = deps;
    this.#runs = new SleepRuns(deps.store);
  }

  async start(): Promise<void> {
    await this.#runs.load(this.#deps.now());
    // A sound left playing by a stop (or a crash) is not heard on: its lift is gone with the process.
    for (const run of this.#runs.playing()) await this.#end(run, "the service restarted while it played");
    const bus = this.#deps.bus;
    bus.on(this, "quiet.changed", (e) => {
      const run = this.#runs.playingOn(e.playerId);
      if (e.until === undefined && run?.night)
        void this.#serial(() => this.#end(run, this.#woke(run) ? "wake" : "a parent ended the night"));
    });
    bus.on(this, "player.changed", ({player}) => this.#watch(player));
  }

  async stop(): Promise<void> {
    this.#deps.bus.off(this);
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    await this.#chain.catch(() => undefined);
  }

  /** Whether a player plays a sleep sound now (its card, or one starting): the plan's own playback, no child's. */
  owns(playerId: string, cardId: string | null | undefined): boolean {
    if (this.#starting.has(playerId)) return true;
    const run = this.#runs.playingOn(playerId);
    return run !== undefined && (run.cardId === undefined || run.cardId === cardId);
  }

  /** Seconds of night sleep sounds on a player since `from`: left out of the day's listening. */
  nightSeconds(playerId: string, from: number): number {
    return Math.round(this.#runs.nightMs(playerId, from, this.#deps.now()) / 1000);
  }

  /** The sound playing for the child, tonight's, and how many are left. */
  state(name: string): SleepState {
    const view = this.#deps.family.child(name);
    const plan = view.plan.sleep;
    const playing = this.#runs.playingFor(view.name);
    const tonight = this.#runs.ofNight(view.name, view.evening);
    return {
      child: view.name,
      playing: playing ? runView(playing) : null,
      evening: view.evening,
      tonight: tonight.map(runView),
      left: plan ? Math.max(0, (plan.per_night ?? DEFAULT_SLEEPS_A_NIGHT) - tonight.length) : null,
    };
  }

  /** Every run kept (a week and a day), for the week's figures. */
  runs(): readonly SleepRun[] {
    return this.#runs.all();
  }

  /** Start the child's sleep sound on the player the child is on, through the play gate. */
  begin(name: string, ask: SleepAsk, how: {route: PlayRoute; by: string}): Promise<SleepAnswer> {
    const view = this.#deps.family.child(name);
    const plan = view.plan.sleep;
    if (!plan)
      throw new AppError(
        "no_sleep_sounds",
        `${view.name}'s plan has no sleep sounds: add them on the Family page (or "sleep": {"sounds": ["stream:<name>"]} in the plan)`,
        {status: 409},
      );
    const sound = ask.sound === undefined ? plan.sounds[0] : soundOf(plan.sounds, ask.sound);
    if (sound === undefined)
      throw badRequest(
        `'${ask.sound}' is not one of ${view.name}'s sleep sounds: ${plan.sounds.join(", ")}`,
        "not_a_sleep_sound",
      );
    return this.#serial(() => this.#begin(view, plan, sound, ask.reason, how));
  }

  /** A parent's stop: the sound ends now (nothing when none plays). */
  end(name: string, by: string): Promise<SleepState> {
    const view = this.#deps.family.child(name);
    return this.#serial(async () => {
      const run = this.#runs.playingFor(view.name);
      if (run) await this.#end(run, `${by} stopped it`);
      return this.state(view.name);
    });
  }

  async #begin(
    view: ChildView,
    plan: SleepPlan,
    sound: string,
    reason: string,
    how: {route: PlayRoute; by: string},
  ): Promise<SleepAnswer> {
    const player = childPlayer(
      {children: [view], listeners: this.#deps.family.listeners()},
      view.name,
      this.#deps.players.list(),
    );
    if (!player) return {outcome: "offline" as const, text: `${view.name} has no player in the family plan`};
    const already = this.#runs.playingFor(view.name);
    if (already)
      return {
        outcome: "played" as const,
        text: `'${already.title}' is already playing on '${already.player}'`,
        already: true,
        sleep: runView(already),
      };
    const entry = await this.#entry(sound);
    if (!entry)
      return {
        outcome: "failed" as const,
        text: `${view.name}'s sleep sound '${sound}' is not there to play now: choose another on the Family page`,
      };
    const volume = plan.volume ?? DEFAULT_SLEEP_VOLUME;
    const perNight = plan.per_night ?? DEFAULT_SLEEPS_A_NIGHT;
    const tonight = this.#runs.ofNight(view.name, view.evening).length;
    const withinNight = () =>
      tonight >= perNight
        ? `${view.name} has had ${tonight} sleep sound${tonight === 1 ? "" : "s"} tonight, as many as the plan allows a night`
        : undefined;
    // What the player starts is the sound's from now until its run is saved (the plan asks at every change).
    this.#starting.add(player.id);
    try {
      return await this.#startOn(
        view,
        player,
        entry,
        {sound, reason, volume, minutes: plan.minutes, light: plan.light},
        how,
        withinNight,
      );
    } finally {
      this.#starting.delete(player.id);
    }
  }

  async #startOn(
    view: ChildView,
    player: PlayerState,
    entry: Playable,
    sleep: {sound: string; reason: string; volume: number; minutes: number | undefined; light: string | undefined},
    how: {route: PlayRoute; by: string},
    withinNight: () => string | undefined,
  ): Promise<SleepAnswer> {
    const {sound, reason, volume} = sleep;
    let lift: QuietLift | undefined;
    const before = player.playback.cardId;
    const {answer, night, heldUntil} = await this.#deps.gate.sleep(
      player,
      {route: how.route, what: `${view.name}'s sleep sound '${entry.title}'`, child: view.name, by: how.by},
      withinNight,
      async (admission) => {
        // At night the player's max volumes are held at the sound's step while it plays: the child cannot turn it up.
        lift = await this.#deps.quiet.lift(player.id, {maxVolume: volume, for: `${view.name}'s sleep sound`});
        try {
          // Lifted, its step is within the max volumes put back; by day, within the max the player reports now.
          const step = lift?.volumeStep ?? Math.min(volume, this.#deps.players.get(player.id).volume.max ?? volume);
          await this.#deps.players.command(player.id, {command: "volume", percent: VOLUME_PERCENTS[step] as number});
          await this.#deps.catalogue.play(player.id, entry, admission);
        } catch (err) {
          await lift?.release().catch(() => undefined);
          throw err;
        }
      },
    );
    if (answer.outcome !== "played") return {outcome: answer.outcome, text: answer.text};
    const now = this.#deps.now();
    const timer = sleep.minutes === undefined ? undefined : now + sleep.minutes * (this.#deps.minuteMs ?? 60_000);
    // The quiet's end, else (quiet hours not begun yet: the plan retries them) the plan's own: a night's sound always ends.
    const wake = night ? (this.#deps.quiet.period(player.id)?.until ?? heldUntil) : undefined;
    const until = timer === undefined ? wake : wake === undefined ? timer : Math.min(timer, wake);
    const run: SleepRun = {
      id: randomUUID(),
      child: view.name,
      playerId: player.id,
      player: player.name,
      sound,
      title: entry.title,
      reason,
      by: how.by,
      evening: view.evening,
      night,
      startedAt: now,
      ...(until !== undefined ? {until} : {}),
      ...(wake !== undefined ? {wake} : {}),
    };
    if (lift) this.#lifts.set(run.id, lift);
    this.#before.set(run.id, before);
    try {
      if (sleep.light && (await sleepLight(this.#deps.players, player, sleep.light, this.#deps.log)))
        run.light = sleep.light;
      await this.#runs.save(run);
    } catch (err) {
      // Not saved, so not kept: the sound stops and the quiet is muted again now, not at some later start.
      await this.#end(run, `it could not be saved (${errorMessage(err)})`).catch(() => undefined);
      throw err;
    }
    this.#arm(run);
    const lasts =
      sleep.minutes !== undefined
        ? `for ${sleep.minutes} minute${sleep.minutes === 1 ? "" : "s"}`
        : night
          ? "until wake"
          : "until it is stopped";
    const text = `${reason}: '${entry.title}' on '${player.name}' at volume ${volume} ${lasts}${night ? "" : " (by day, counted as any listening)"}`;
    await this.#deps.family.noteFor(view.name, "sleep", text);
    this.#deps.bus.emit("sleep.changed", {child: view.name});
    return {
      outcome: "played" as const,
      text: `Playing '${entry.title}' on '${player.name}' ${lasts}`,
      sleep: runView(run),
    };
  }

  async #entry(sound: string): Promise<Playable | undefined> {
    // The plan takes only these (sleepField.ts): a group, a story or story radio is no sleep sound.
    const {prefix} = shelfRef(sound);
    if (prefix !== "stream" && prefix !== "library" && prefix !== "card") return undefined;
    return this.#deps.catalogue.byRef(sound);
  }

  /** The player moved on from the sound (another card, stopped): it ends. Its card is learnt as it plays. */
  #watch(player: PlayerState): void {
    const run = this.#runs.playingOn(player.id);
    if (!run) return;
    const {status, cardId} = player.playback;
    // Not the card the player held before the start (a stale report of it): the sound's own, once it plays.
    if (run.cardId === undefined && status === "playing" && cardId && cardId !== this.#before.get(run.id)) {
      run.cardId = cardId;
      this.#before.delete(run.id);
      void this.#serial(() => this.#runs.save(run));
      return;
    }
    if (run.cardId === undefined) return;
    // Another card is something else played; no card, or stopped, is the sound over (its stream ended, a hand on the player).
    if (cardId && cardId !== run.cardId) void this.#serial(() => this.#end(run, "something else was played"));
    else if (!cardId || status === "stopped") void this.#serial(() => this.#end(run, "it stopped on the player"));
  }

  #arm(run: SleepRun): void {
    if (run.until === undefined) return;
    const wait = () => {
      const left = (run.until ?? 0) - this.#deps.now();
      if (left > 0) {
        this.#timers.set(run.id, setTimeout(wait, Math.min(left, MAX_TIMER_MS)));
        return;
      }
      this.#timers.delete(run.id);
      void this.#serial(() => this.#end(run, this.#woke(run) ? "wake" : "its time was up"));
    };
    wait();
  }

  /** Whether the night a run was let through in is over by its wake (not a parent's End now, not its timer). */
  #woke(run: SleepRun): boolean {
    return run.wake !== undefined && this.#deps.now() >= run.wake;
  }

  /** End a run: the player stopped if it still plays the sound, its quiet muted again, saved, then journaled. */
  async #end(run: SleepRun, why: string): Promise<void> {
    // Marked ended on the one object every path holds, at once: a second end (the timer and the
    // quiet's end at wake) finds it ended, and a save of its card learnt meanwhile saves it ended.
    if (run.endedAt !== undefined) return;
    const now = this.#deps.now();
    run.endedAt = now;
    run.ended = why;
    clearTimeout(this.#timers.get(run.id));
    this.#timers.delete(run.id);
    let player: PlayerState | undefined;
    try {
      player = this.#deps.players.get(run.playerId);
    } catch {
      // Gone from the account: nothing to stop.
    }
    const still = player?.online && (run.cardId === undefined || player.playback.cardId === run.cardId);
    if (still && player?.playback.status !== "stopped")
      await this.#deps.players
        .command(run.playerId, {command: "pause"})
        .catch((err) =>
          this.#deps.log.warning(
            `${run.child}'s sleep sound could not be paused on '${run.player}' (${errorMessage(err)})`,
          ),
        );
    await this.#lifts
      .get(run.id)
      ?.release()
      .catch((err) =>
        this.#deps.log.warning(
          `Quiet hours on '${run.player}' could not mute it again after a sleep sound (${errorMessage(err)})`,
        ),
      );
    this.#lifts.delete(run.id);
    this.#before.delete(run.id);
    if (run.light && player) await sleepLight(this.#deps.players, player, LIGHT_OFF, this.#deps.log);
    await this.#runs.save(run);
    const minutes = Math.round((now - run.startedAt) / (this.#deps.minuteMs ?? 60_000));
    const text = `'${run.title}' stopped on '${run.player}' after ${minutes} minute${minutes === 1 ? "" : "s"} (${why}); it started at ${clockOf(run.startedAt, this.#deps.timeZone())}`;
    await this.#deps.family.noteFor(run.child, "sleep_ended", text, minutes);
    this.#deps.bus.emit("sleep.changed", {child: run.child});
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(work);
    this.#chain = next.catch((err) => this.#deps.log.warning(`A sleep sound failed (${errorMessage(err)})`));
    return next;
  }
}
