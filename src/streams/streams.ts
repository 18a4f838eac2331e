import type {EventBus, EventMap} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {OpenFiles} from "../files/openFiles.js";
import type {Library} from "../library/library.js";
import type {StreamAdding} from "../shared/api/streams.js";
import type {StateStore} from "../store/store.js";
import {type Anchor, placeAt, type QueueInput, type RefExpander, StreamFills} from "./fills.js";
import {untilFirstItem} from "./firstItem.js";
import {resolveLibraryRefs} from "./libraryRefs.js";
import type {PlayMode, StreamState} from "./model.js";
import {checkMode, checkName, checkRoom, edits, playOrder} from "./model.js";
import {presetEdits} from "./presetEdits.js";
import {Programmes} from "./programme.js";
import {RecentSnapshots} from "./recentSnapshots.js";
import {RequestLog} from "./requestLog.js";
import {SavedStreams} from "./savedStreams.js";
import type {Snapshot} from "./snapshots.js";
import {
  type OwnerWrites,
  playsRadio,
  type QueueEdit,
  type StreamOwner,
  StreamOwners,
  type StreamWrite,
} from "./streamOwnership.js";
import type {StreamRequest} from "./types.js";

export interface StreamsOptions {
  store: StateStore;
  library: Library;
  files: OpenFiles;
  bus: EventBus;
  log: Logger;
  /** How long a change waits for the first item on its way (default FIRST_WAIT_MS). */
  firstWaitMs?: number;
}

/**
 * Named queues of library items, persisted, served as one MP3. Mutations run one at a time, so
 * concurrent edits from rules, Home Assistant and the panel never overwrite each other.
 */
export class Streams implements Service {
  readonly name = "streams";
  readonly #opts: StreamsOptions;
  readonly #saved: SavedStreams;
  readonly #requests = new RequestLog();
  readonly #snapshots: RecentSnapshots;
  readonly #fills: StreamFills;
  readonly #owners = new StreamOwners();
  /** Who decides, item by item, what an endless stream plays (a child's story radio). */
  readonly programmes = new Programmes();

  constructor(opts: StreamsOptions) {
    this.#opts = opts;
    this.#saved = new SavedStreams(opts.store, opts.bus);
    this.#snapshots = new RecentSnapshots(opts.library, opts.files, opts.log);
    this.#fills = new StreamFills({
      bus: opts.bus,
      log: opts.log,
      firstWaitMs: opts.firstWaitMs,
      resolve: (refs) => this.resolveRefs(refs),
      place: (name, anchor, ids) => this.#place(name, anchor, ids),
    });
  }

  async start(): Promise<void> {
    await this.#saved.load();
    this.#opts.bus.on(this, "library.changed", () => this.#snapshots.clear());
  }

  async stop(): Promise<void> {
    this.#opts.bus.off(this);
    await this.#fills.stop();
    await this.#saved.close();
    this.#snapshots.clear(true);
  }

  health() {
    return {details: {streams: this.#saved.size, audioInMemoryBytes: this.#snapshots.memoryBytes}};
  }

  list(): StreamState[] {
    return this.#saved.list().sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): StreamState {
    return this.#saved.get(name);
  }

  has(name: string): boolean {
    return this.#saved.find(name) !== undefined;
  }

  /**
   * Let references with `prefix` (a media server's `dlna:`) stand for library items made on
   * demand: `expand` answers the items one such reference becomes (a folder: several), each on
   * its way; it stops making those not started yet when its signal aborts.
   */
  registerRefExpander(prefix: string, expand: RefExpander): void {
    this.#fills.register(prefix, expand);
  }

  /** References with every registered prefix expanded to library ids (all of them waited for), in place and in order. */
  expandRefs(refs: readonly string[]): Promise<string[]> {
    return this.#fills.settleAll(refs);
  }

  /** Let `owner` judge every change to the streams it owns; it makes its own through what this answers. */
  registerOwner(owner: StreamOwner): OwnerWrites {
    this.#owners.add(owner);
    const items = (name: string) => this.#saved.find(name)?.items ?? [];
    return {
      replace: async (name, ids, mode, opts) => {
        this.#owners.judge(name, {kind: "replace", items: ids}, items(name), owner);
        return opts?.whole ? this.#rewrite(name, ids, mode ?? "once") : this.#replace(name, ids, mode);
      },
      removeItem: async (name, id) => {
        this.#owners.judge(name, {kind: "remove", index: items(name).indexOf(id)}, items(name), owner);
        return this.#removeItem(name, id);
      },
      othersOwn: (name) => {
        const other = this.#owners.ownerOf(name);
        return other !== undefined && other !== owner;
      },
    };
  }

  /** The stream made only of `ids` in `mode`: no presets, no station, nothing still on its way in. */
  async #rewrite(name: string, ids: readonly string[], mode: PlayMode): Promise<StreamState> {
    const checked = checkMode(mode);
    this.#fills.forget(name, "the stream was written again");
    if (this.#saved.find(name)?.radio)
      await this.#saved.mutate(name, "radio", false, () => ({radio: null, items: [], presets: {}}));
    return this.#saved.mutate(name, "replace", true, () => {
      checkRoom(ids.length);
      return {items: edits.replace([], [...ids]), mode: checked, presets: {}, activePreset: null};
    });
  }

  /**
   * Whether a write beside the queue's positions (mode, shuffle, presets, clear, a feed) may be made,
   * as the stream's owner says: a child's story radio refuses them all. Throws why not.
   */
  judgeWrite(name: string, write: StreamWrite): void {
    this.#owners.judgeWrite(name, write);
  }

  /**
   * Whether `edit` may be made to the stream, as the stream's owner says (a feed refuses what its
   * next refresh would undo): answers the edit as it would be made, or throws why not. Every
   * change asks this itself; a front door asks first to refuse before slower checks.
   */
  judge<E extends QueueEdit>(name: string, edit: E): E {
    const current = this.#saved.find(name);
    // A station has no queue, whoever asks: said before anything about the items sent.
    if (current?.radio && edit.kind !== "radio") throw playsRadio(name);
    return this.#owners.judge(name, edit, current?.items ?? []);
  }

  /**
   * Replace the queue (creating the stream if needed), optionally setting the mode too. Items on
   * their way (a media server folder) answer once the first is in, or after `firstWaitMs` (0: with
   * what is in now); the rest follow (`adding`).
   */
  async replace(
    name: string,
    given: readonly QueueInput[],
    mode?: PlayMode,
    firstWaitMs?: number,
  ): Promise<StreamState> {
    this.judge(name, {kind: "replace", items: given});
    return this.#replace(name, given, mode, firstWaitMs);
  }

  #replace(name: string, given: readonly QueueInput[], mode?: PlayMode, firstWaitMs?: number): Promise<StreamState> {
    const checked = mode === undefined ? undefined : checkMode(mode);
    const apply = (ids: string[], waiting: number) =>
      this.#saved.mutate(name, "replace", true, (s) => {
        checkRoom(ids.length + waiting);
        return {items: edits.replace(s.items, ids), mode: checked ?? s.mode, activePreset: null};
      });
    return this.#fills.change(name, given, 0, apply, firstWaitMs);
  }

  /**
   * Append, or insert at `index`; creates the stream (as the seed service's POST did). Items on
   * their way as in replace. The owner may move the place (in front of a feed's episodes).
   */
  async add(name: string, given: string[], at?: number): Promise<StreamState> {
    const {index} = this.judge(name, {kind: "add", index: at});
    return this.#fills.change(name, given, index ?? "end", (ids, waiting) =>
      this.#saved.mutate(name, index === undefined ? "append" : "insert", true, (s) => {
        checkRoom(s.items.length + ids.length + waiting);
        return {
          items: index === undefined ? edits.append(s.items, ids) : edits.insert(s.items, index, ids),
          activePreset: null,
        };
      }),
    );
  }

  /** Tracks on their way into the queue, and those that could not be added (null: none). */
  adding(name: string): StreamAdding | null {
    return this.#fills.view(name);
  }

  /** Items that came after their change answered, put after those it placed before. */
  #place(name: string, anchor: Anchor, ids: string[]): Promise<StreamState> {
    return this.#saved.mutate(name, "append", false, (s) => ({
      items: edits.insert(s.items, placeAt(s, anchor), ids),
      activePreset: null,
    }));
  }

  async removeAt(name: string, index: number): Promise<StreamState> {
    this.judge(name, {kind: "remove", index});
    return this.#saved.mutate(name, "remove", false, (s) => ({
      items: edits.removeAt(s.items, index),
      activePreset: null,
    }));
  }

  /** Take an item out wherever it is now, found by id rather than by a position another edit may have moved. */
  async removeItem(name: string, id: string): Promise<StreamState> {
    this.judge(name, {kind: "remove", index: this.get(name).items.indexOf(id)});
    return this.#removeItem(name, id);
  }

  #removeItem(name: string, id: string): Promise<StreamState> {
    return this.#saved.mutate(name, "remove", false, (s) => ({
      items: s.items.filter((i) => i !== id),
      activePreset: null,
    }));
  }

  /**
   * Make the stream an internet radio station (created when needed), or with null a queue again
   * (empty). Radio checks the station before it calls this.
   */
  async setRadio(name: string, radio: {url: string} | null): Promise<StreamState> {
    this.judge(name, {kind: "radio"});
    return this.#saved.mutate(name, "radio", radio !== null, (current) =>
      // A queue told it is no station stays the queue it is.
      !radio && !current.radio
        ? {}
        : {
            radio,
            items: [],
            presets: {},
            activePreset: null,
            mode: radio ? "loop" : "once",
          },
    );
  }

  async clear(name: string): Promise<StreamState> {
    this.judgeWrite(name, {kind: "clear"});
    this.#fills.forget(name, "the queue was cleared");
    return this.#saved.mutate(name, "clear", false, () => ({items: [], activePreset: null}));
  }

  async move(name: string, from: number, to: number): Promise<StreamState> {
    this.judge(name, {kind: "move", from, to});
    return this.#saved.mutate(name, "move", false, (s) => ({items: edits.move(s.items, from, to), activePreset: null}));
  }

  /** Put the queue in a new random order once (the `stream.shuffle` action), whatever the mode. */
  async shuffleOnce(name: string): Promise<StreamState> {
    this.judgeWrite(name, {kind: "shuffle"});
    return this.#saved.mutate(name, "shuffle", false, (s) => ({
      items: playOrder({...s, mode: "shuffle", version: Date.now()}),
      activePreset: null,
    }));
  }

  async setMode(name: string, mode: unknown): Promise<StreamState> {
    this.judgeWrite(name, {kind: "mode"});
    return this.#saved.mutate(name, "mode", false, () => ({mode: checkMode(mode)}));
  }

  async definePreset(name: string, preset: string, given: string[]): Promise<StreamState> {
    this.judgeWrite(name, {kind: "preset"});
    checkName("preset", preset);
    const refs = await this.expandRefs(given);
    return this.#saved.mutate(name, "preset", false, (s) =>
      presetEdits.define(s, preset, () => this.resolveRefs(refs)),
    );
  }

  async deletePreset(name: string, preset: string): Promise<StreamState> {
    this.judgeWrite(name, {kind: "preset"});
    return this.#saved.mutate(name, "preset", false, (s) => presetEdits.delete(s, preset));
  }

  /** Switch the queue to a preset's items. */
  async usePreset(name: string, preset: string): Promise<StreamState> {
    this.judgeWrite(name, {kind: "preset"});
    return this.#saved.mutate(name, "use_preset", false, (s) => presetEdits.use(s, preset));
  }

  delete(name: string): Promise<void> {
    return this.#saved.delete(name, () => {
      this.#fills.forget(name, "the stream was deleted");
      this.#requests.forget(name);
      this.#snapshots.forget(name);
    });
  }

  /**
   * Library ids for what users and rules write: an id, or a path relative to its folder. Every
   * unknown or ambiguous reference is reported at once; only MP3 items can be joined into a stream
   * (a card's per-file chapters take any format: `mp3Only` false).
   */
  resolveRefs(refs: readonly string[], mp3Only = true): string[] {
    return resolveLibraryRefs(this.#opts.library.items(), refs, mp3Only);
  }

  /**
   * Resolve what a request for `name` plays right now. A queue still empty while its first tracks
   * are made waits for the first (a player takes silence for the whole stream), or until `gone`.
   */
  snapshot(name: string, gone?: AbortSignal): Promise<Snapshot> {
    if (this.get(name).items.length > 0 || !this.#fills.view(name)?.under_way) return this.#snapshotNow(name);
    return untilFirstItem(this.#opts.bus, name, undefined, gone).then(() => this.#snapshotNow(name));
  }

  #snapshotNow(name: string): Promise<Snapshot> {
    return this.#snapshots.ofStream(name, this.get(name));
  }

  /**
   * A fixed list of library items as one MP3, like a stream with mode `once` (a story scene). Items
   * gone from the library are skipped with a warning, as in streams.
   */
  itemsSnapshot(label: string, ids: readonly string[]): Promise<Snapshot> {
    return this.#snapshots.ofItems(label, ids);
  }

  /** Drop a reused snapshot, e.g. after sending it failed because a file vanished, so a retry sees the truth. */
  forget(name: string): void {
    this.#snapshots.forget(name);
  }

  /**
   * Log a request and announce it as `stream.requested`, except a range request following one from
   * the same client for the same version: a seeking player makes dozens, and each used to be an
   * event (and a rule run). Those are counted into the request they follow.
   */
  record(request: StreamRequest): void {
    if (this.#requests.record(request, () => this.has(request.stream)))
      this.#opts.bus.emit("stream.requested", request);
  }

  /** A signed link asked for a stream that is gone (a card made for it still exists somewhere). */
  missed(request: EventMap["stream.missed"]): void {
    this.#opts.bus.emit("stream.missed", request);
  }

  requests(name: string): readonly StreamRequest[] {
    this.get(name);
    return this.#requests.list(name);
  }
}
