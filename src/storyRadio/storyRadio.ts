import {AppError, errorMessage} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import {STORY_RADIO_PREFIX, shelfRef, storyRadioStream} from "../family/shelfField.js";
import type {ChildrenList, ChildView} from "../family/types.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
import type {NextItem} from "../streams/programme.js";
import type {Streams} from "../streams/streams.js";
import {EVENING_MS, type EveningDeps, softenForEvening} from "./evening.js";
import {programmeRounds} from "./rounds.js";
import {reservedName, takeOver} from "./takeover.js";

/** After the wind-down starts, only items this short play: the evening gets quieter, not longer. */
export const WIND_DOWN_ITEM_SECONDS = 10 * 60;
const SYNC_AFTER_MS = 500;

export interface StoryRadioDeps {
  streams: Pick<Streams, "registerOwner" | "programmes" | "has" | "get" | "list" | "delete">;
  /**
   * The plan: each child's view, and who listens where (the child's Yoto is the one the evening turns
   * down); the child's journal, for a stream of the story radio's name taken over.
   */
  family: {
    child(name: string): ChildView;
    list(): {children: ChildView[]};
    listeners(): ChildrenList["listeners"];
    noteFor(child: string, what: "story_radio_took_over", text: string): Promise<void>;
  };
  library: {get(id: string): unknown};
  bus: EventBus;
  now(): number;
  log: Logger;
  /** The players, for the evening's volume step on the child's own Yoto (no start: no gate). */
  players: Pick<GatedPlayers, "list" | "command">;
  /** The service's own cards: the evening turns down the Yoto playing this radio's card. */
  cards: EveningDeps["cards"];
}

/**
 * Each child's story radio: a stream (`story-radio-<child>`) that plays the child's shelf as an
 * endless programme: every item with its audio here (library items, streams' and podcasts' tracks)
 * once a round in a new order, a stream's tracks kept together; short items only after the
 * wind-down; nothing that would start after bedtime or past the day's listening (the item under
 * way ends, then silence). Cards play from Yoto, not from here: a card's archived stream goes on the shelf instead.
 */
export class StoryRadio implements Service {
  readonly name = "story-radio";
  readonly #deps: StoryRadioDeps;
  readonly #owner = {};
  /** Per stream: its child, the units last written (to write only when they change) and the queue they made. */
  readonly #written = new Map<string, {child: string; key: string; items: readonly string[]}>();
  /** Whether the next sync also writes back a stream that drifted from what was written. */
  #repair = false;
  #writes?: ReturnType<Streams["registerOwner"]>;
  #timer?: NodeJS.Timeout;
  #syncing: Promise<void> = Promise.resolve();
  #running = false;
  #failed?: string;

  constructor(deps: StoryRadioDeps) {
    this.#deps = deps;
  }

  /**
   * The evening has come for a listener of the child's story radio: the child's Yoto, if it plays
   * it, a little softer. Asked once per listener, when its first item of the evening is sent.
   */
  soften(child: string, heardAt?: number): Promise<void> {
    return softenForEvening(this.#deps, child, storyRadioStream(child), heardAt);
  }

  async start(): Promise<void> {
    this.#running = true;
    // The whole stream is the shelf's: its queue, mode, presets and feed change only with the shelf.
    const refuse = (stream: string): never => {
      const child = this.#childOf(stream) as string;
      throw new AppError(
        "story_radio",
        `Stream '${stream}' is ${child}'s story radio and plays ${child}'s shelf: change the shelf on the Family page (or "shelf" in PUT /api/children/${child}) instead`,
        {status: 409},
      );
    };
    this.#writes ??= this.#deps.streams.registerOwner({
      owns: (stream) => this.#childOf(stream) !== undefined,
      judge: refuse,
      judgeWrite: refuse,
      // Every story-radio-… name is story radio's, before its child is in the plan too.
      reserves: {prefix: STORY_RADIO_PREFIX, refuse: reservedName},
    });
    this.#deps.streams.programmes.add({
      owns: (stream) => this.#running && this.#childOf(stream) !== undefined,
      begin: (stream) => this.#next(this.#childOf(stream) as string),
    });
    const later = (e?: {name?: string}) => {
      if (e?.name?.startsWith(STORY_RADIO_PREFIX)) return;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.sync(), SYNC_AFTER_MS);
    };
    // A change of the plan (a shelf's) also writes back a radio that is no longer what its shelf makes it.
    this.#deps.bus.on(this.#owner, "family.changed", () => {
      this.#repair = true;
      later();
    });
    this.#deps.bus.on(this.#owner, "stream.changed", (e) => later(e));
    this.#deps.bus.on(this.#owner, "library.changed", () => later());
    // A story radio deleted by hand comes back at once: the shelf's tile and Home Assistant's button play it.
    this.#deps.bus.on(this.#owner, "stream.deleted", ({name}) => {
      if (this.#written.delete(name)) later();
    });
    await this.sync();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#deps.bus.off(this.#owner);
    await this.#syncing;
  }

  health() {
    const details = {children: this.#written.size};
    // A programme that could not be written (a full disk) shows here until a later write succeeds.
    return this.#failed ? {degraded: true, error: this.#failed, details} : {details};
  }

  /**
   * The child's story radio stream, when its shelf has something it can play. Given the shelf, it is
   * read from the shelf itself: a shelf just saved has its story radio before the stream is written
   * (a moment later), so the Family page never shows it as missing in between.
   */
  forChild(child: string, shelf?: readonly string[]): {stream: string; title: string} | undefined {
    const stream = storyRadioStream(child);
    const written = this.#written.get(stream);
    const plays = shelf ? this.#units(shelf).length > 0 : written !== undefined && written.key !== "";
    return plays ? {stream, title: "Story radio"} : undefined;
  }

  /**
   * What a card of a story radio stream is titled (Cards asks, making one): "Mia's story radio", as
   * the family says it and the Yoto app shows it, never the stream's name.
   */
  async streamTitle(stream: string): Promise<string | undefined> {
    if (!stream.startsWith(STORY_RADIO_PREFIX)) return undefined;
    const child =
      this.#childOf(stream) ?? this.#deps.family.list().children.find((c) => storyRadioStream(c.name) === stream)?.name;
    return child ? `${child}'s story radio` : undefined;
  }

  /** Write every child's programme whose shelf changed (in turn: one write at a time). */
  sync(): Promise<void> {
    this.#syncing = this.#syncing
      .then(() => this.#syncNow())
      .then(
        () => {
          this.#failed = undefined;
        },
        (err) => {
          this.#failed = `Could not write a child's story radio (${errorMessage(err)}); it is tried again at the next change of a shelf`;
          this.#deps.log.warning(`Story radio: could not write a programme (${errorMessage(err)})`);
        },
      );
    return this.#syncing;
  }

  async #syncNow(): Promise<void> {
    if (!this.#running || !this.#writes) return;
    const children = this.#deps.family.list().children;
    // A child taken out of the plan takes their story radio along.
    for (const [stream, {child}] of [...this.#written])
      if (!children.some((c) => c.name === child)) {
        this.#written.delete(stream);
        if (this.#deps.streams.has(stream)) await this.#deps.streams.delete(stream);
        this.#deps.log.info(`Story radio: removed ${child}'s, with ${child} out of the family plan`);
      }
    const repair = this.#repair;
    this.#repair = false;
    for (const view of children) {
      const stream = storyRadioStream(view.name);
      const units = this.#units(view.plan.shelf ?? []);
      const key = units.map((u) => u.join(",")).join(";");
      const before = this.#written.get(stream);
      if (before?.key === key && this.#deps.streams.has(stream) && !(repair && this.#drifted(stream, before.items)))
        continue;
      // The first write this run: a stream of this name from before that is not a story radio's goes first.
      if (!before) await takeOver({...this.#deps, writes: this.#writes}, view.name, stream, units.flat());
      const items = programmeRounds(units);
      await this.#writes.replace(stream, items, "loop", {whole: true});
      this.#written.set(stream, {child: view.name, key, items});
      this.#deps.log.info(
        `Story radio: ${view.name}'s programme has ${units.length} ${units.length === 1 ? "item" : "items"} from the shelf`,
      );
    }
  }

  /** The shelf's items with their audio here, each a list of library ids played together. */
  #units(refs: readonly string[]): string[][] {
    const units: string[][] = [];
    // A track on the shelf twice (alone, and in a stream) plays once a round: where it is first.
    const taken = new Set<string>();
    const fresh = (ids: readonly string[]) => ids.filter((id) => !taken.has(id) && this.#deps.library.get(id));
    for (const ref of refs) {
      const {prefix, name} = shelfRef(ref);
      let ids: string[] = [];
      if (prefix === "library") ids = fresh([name]);
      else if (prefix === "stream" && !name.startsWith(STORY_RADIO_PREFIX) && this.#deps.streams.has(name)) {
        const stream = this.#deps.streams.get(name);
        ids = stream.radio ? [] : [...new Set(fresh(stream.items))];
      }
      for (const id of ids) taken.add(id);
      if (ids.length) units.push(ids);
    }
    return units;
  }

  /** Whether the stream is other than what was written: another queue or mode, presets, a station. */
  #drifted(stream: string, items: readonly string[]): boolean {
    const s = this.#deps.streams.get(stream);
    return (
      s.mode !== "loop" ||
      Boolean(s.radio) ||
      s.activePreset != null ||
      Object.keys(s.presets ?? {}).length > 0 ||
      s.items.length !== items.length ||
      s.items.some((id, i) => id !== items[i])
    );
  }

  #childOf(stream: string): string | undefined {
    return this.#written.get(stream)?.child;
  }

  /** What plays next for a listener: the plan asked again at each item, at the time it would be heard. */
  #next(child: string): NextItem {
    // The day's listening as it was when the listener came: the minutes left count down only while a
    // Yoto reports playing, so a speaker elsewhere (the media server) is held to the same end.
    let budgetAtStart: number | undefined;
    let softened = false;
    return (_id, seconds, startsAt) => {
      let view: ChildView;
      try {
        view = this.#deps.family.child(child);
      } catch {
        return "end";
      }
      const now = this.#deps.now();
      if (view.quiet_until !== null) return "end";
      const bedtime = stepAt(view, "bedtime");
      const left = view.minutes_left === null ? Number.POSITIVE_INFINITY : now + view.minutes_left * 60_000;
      budgetAtStart ??= left;
      // Past bedtime and not quiet: a bonus lifts it (until the bonus ends), or a parent's End now.
      const lifted = bedtime !== undefined && bedtime <= now;
      const stop = lifted ? (view.bonus ? Date.parse(view.bonus.until) : Number.POSITIVE_INFINITY) : bedtime;
      if (startsAt >= Math.min(stop ?? Number.POSITIVE_INFINITY, left, budgetAtStart)) return "end";
      const evening = lifted
        ? now
        : (stepAt(view, "wind_down") ?? (bedtime === undefined ? undefined : bedtime - EVENING_MS));
      const evenTime = evening !== undefined && startsAt >= evening;
      if (evenTime && seconds > WIND_DOWN_ITEM_SECONDS) return "skip";
      if (evenTime && !softened) {
        softened = true;
        this.soften(child).catch((err) =>
          this.#deps.log.warning(`Story radio: ${child}'s Yoto could not be made softer (${errorMessage(err)})`),
        );
      }
      return "play";
    };
  }
}

/** When this evening's step starts (epoch ms): tonight's, or the next evening's once tonight's wake has passed. */
function stepAt(view: ChildView, step: "bedtime" | "wind_down"): number | undefined {
  const found = view.tonight.find((s) => s.step === step);
  return found ? Date.parse(found.at) : undefined;
}
