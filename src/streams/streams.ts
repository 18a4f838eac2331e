import {createHash} from "node:crypto";
import {stat} from "node:fs/promises";
import type Keyv from "keyv";
import {forEachLimited} from "../core/concurrency.js";
import {AppError, badRequest, errorMessage, notFound} from "../core/errors.js";
import type {EventBus, StreamRequest} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import type {Segment} from "../http/fileSender.js";
import type {Library} from "../library/library.js";
import {
  checkMode,
  checkName,
  edits,
  emptyStream,
  isLooping,
  type PlayMode,
  playOrder,
  type StreamState,
} from "./model.js";
import {analyzeMp3, type Mp3Payload} from "./mp3.js";
import {totalLength} from "./slice.js";

const REQUESTS_KEPT = 50;
// A player seeking makes a burst of range requests; they share one snapshot of the same version.
// Files edited in place are noticed within this window, as with the library watcher's debounce.
const SNAPSHOT_REUSE_MS = 1000;
const MAX_CACHED_PAYLOADS = 20_000;
const MAX_PRESETS = 50;
// Files are opened to find their frames; a 2000-item queue must not open 2000 at once (EMFILE).
const ANALYSIS_CONCURRENCY = 16;

export interface StreamsOptions {
  store: {namespace<T>(name: string): Keyv<T>; entries<T>(name: string): Promise<Array<[string, T]>>};
  library: Library;
  bus: EventBus;
  log: Logger;
}

/** What one request plays: fixed at request time, so later queue changes never alter it. */
export interface Snapshot {
  stream: StreamState;
  looping: boolean;
  /** Segments of the first (for finite modes, only) pass, in play order. */
  segments: Segment[];
  /** Item ids in `segments` order. */
  itemIds: string[];
  size: number;
  etag: string;
  /** Segments of pass `cycle` (shuffle_loop reshuffles each pass). */
  cycle(cycle: number): Segment[];
}

/**
 * Named queues of library items, persisted, served as one MP3. Mutations run one at a time, so
 * concurrent edits from rules, Home Assistant and the panel never overwrite each other.
 */
export class Streams implements Service {
  readonly name = "streams";
  readonly #opts: StreamsOptions;
  readonly #streams = new Map<string, StreamState>();
  readonly #payloads = new Map<string, Promise<Mp3Payload>>();
  readonly #requests = new Map<string, StreamRequest[]>();
  readonly #snapshots = new Map<string, {version: number; at: number; snapshot: Promise<Snapshot>}>();
  #keyv?: Keyv<StreamState>;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(opts: StreamsOptions) {
    this.#opts = opts;
  }

  async start(): Promise<void> {
    this.#keyv = this.#opts.store.namespace<StreamState>("streams");
    for (const [name, state] of await this.#opts.store.entries<StreamState>("streams")) this.#streams.set(name, state);
    this.#opts.bus.on(this, "library.changed", () => this.#snapshots.clear());
  }

  async stop(): Promise<void> {
    this.#opts.bus.off(this);
    await this.#chain.catch(() => undefined);
    this.#streams.clear();
    this.#payloads.clear();
    this.#snapshots.clear();
  }

  health() {
    return {details: {streams: this.#streams.size}};
  }

  list(): StreamState[] {
    return [...this.#streams.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): StreamState {
    const stream = this.#streams.get(name);
    if (!stream) throw notFound(`Stream '${name}' does not exist`, "unknown_stream");
    return stream;
  }

  has(name: string): boolean {
    return this.#streams.has(name);
  }

  /** Replace the queue (creating the stream if needed), optionally setting the mode too. */
  replace(name: string, refs: string[], mode?: PlayMode): Promise<StreamState> {
    return this.#mutate(name, "replace", true, (s) => ({
      items: edits.replace(s.items, this.resolveRefs(refs)),
      mode: mode === undefined ? s.mode : checkMode(mode),
      activePreset: null,
    }));
  }

  /** Append, or insert at `index`; creates the stream (as the seed service's POST did). */
  add(name: string, refs: string[], index?: number): Promise<StreamState> {
    return this.#mutate(name, index === undefined ? "append" : "insert", true, (s) => {
      const ids = this.resolveRefs(refs);
      return {
        items: index === undefined ? edits.append(s.items, ids) : edits.insert(s.items, index, ids),
        activePreset: null,
      };
    });
  }

  removeAt(name: string, index: number): Promise<StreamState> {
    return this.#mutate(name, "remove", false, (s) => ({items: edits.removeAt(s.items, index), activePreset: null}));
  }

  clear(name: string): Promise<StreamState> {
    return this.#mutate(name, "clear", false, () => ({items: [], activePreset: null}));
  }

  move(name: string, from: number, to: number): Promise<StreamState> {
    return this.#mutate(name, "move", false, (s) => ({items: edits.move(s.items, from, to), activePreset: null}));
  }

  /** Put the queue in a new random order once (the `stream.shuffle` action), whatever the mode. */
  shuffleOnce(name: string): Promise<StreamState> {
    return this.#mutate(name, "shuffle", false, (s) => ({
      items: playOrder({...s, mode: "shuffle", version: Date.now()}),
      activePreset: null,
    }));
  }

  setMode(name: string, mode: unknown): Promise<StreamState> {
    return this.#mutate(name, "mode", false, () => ({mode: checkMode(mode)}));
  }

  definePreset(name: string, preset: string, refs: string[]): Promise<StreamState> {
    checkName("preset", preset);
    return this.#mutate(name, "preset", false, (s) => {
      if (!Object.hasOwn(s.presets, preset) && Object.keys(s.presets).length >= MAX_PRESETS) {
        throw badRequest(`A stream keeps at most ${MAX_PRESETS} presets; delete one first`, "too_many_presets");
      }
      return {presets: {...s.presets, [preset]: edits.replace([], this.resolveRefs(refs))}};
    });
  }

  deletePreset(name: string, preset: string): Promise<StreamState> {
    return this.#mutate(name, "preset", false, (s) => {
      this.#preset(s, preset);
      const {[preset]: _gone, ...presets} = s.presets;
      return {presets, activePreset: s.activePreset === preset ? null : s.activePreset};
    });
  }

  /** Switch the queue to a preset's items. */
  usePreset(name: string, preset: string): Promise<StreamState> {
    return this.#mutate(name, "use_preset", false, (s) => ({
      items: [...this.#preset(s, preset)],
      activePreset: preset,
    }));
  }

  delete(name: string): Promise<void> {
    return this.#serial(async () => {
      this.get(name);
      this.#streams.delete(name);
      this.#requests.delete(name);
      this.#snapshots.delete(name);
      await this.#keyv?.delete(name);
      this.#opts.bus.emit("stream.deleted", {name});
    });
  }

  /**
   * Library ids for what users and rules write: an id, or a path relative to its folder. Every
   * unknown or ambiguous reference is reported at once; only MP3 items can be joined into a stream.
   */
  resolveRefs(refs: readonly string[]): string[] {
    const items = this.#opts.library.items();
    const byId = new Map(items.map((i) => [i.id, i]));
    const ids: string[] = [];
    const problems: string[] = [];
    for (const ref of refs) {
      const matches = byId.has(ref) ? [byId.get(ref)] : items.filter((i) => i.relPath === ref);
      const item = matches[0];
      if (matches.length > 1) problems.push(`'${ref}' matches ${matches.length} items; use its id`);
      else if (!item) problems.push(`'${ref}' is not in the library`);
      else if (item.mime !== "audio/mpeg") {
        problems.push(`'${item.relPath}' is not MP3; streams join MP3 files, so upload it with audio_normalize on`);
      } else ids.push(item.id);
    }
    if (problems.length > 0) throw badRequest(problems.join("; "), "bad_items");
    return ids;
  }

  /** Resolve what a request for `name` plays right now. */
  snapshot(name: string): Promise<Snapshot> {
    const {version} = this.get(name);
    const now = performance.now();
    const recent = this.#snapshots.get(name);
    if (recent && recent.version === version && now - recent.at < SNAPSHOT_REUSE_MS) return recent.snapshot;
    const snapshot = this.#takeSnapshot(name);
    this.#snapshots.set(name, {version, at: now, snapshot});
    snapshot.catch(() => this.#snapshots.delete(name));
    return snapshot;
  }

  async #takeSnapshot(name: string): Promise<Snapshot> {
    const stream = structuredClone(this.get(name));
    const playable = new Map<string, {segment: Segment; fileKey: string; format: string}>();
    await forEachLimited([...new Set(stream.items)], ANALYSIS_CONCURRENCY, async (id) => {
      const found = await this.#segment(stream.name, id);
      if (found) playable.set(id, found);
    });
    this.#warnIfMixed(
      stream,
      [...playable.values()].map((p) => p.format),
    );
    const cycle = (n: number) =>
      playOrder(stream, n)
        .filter((id) => playable.has(id))
        .map((id) => playable.get(id)?.segment as Segment);
    const itemIds = playOrder(stream, 0).filter((id) => playable.has(id));
    const segments = cycle(0);
    // The ETag covers each file's size and mtime too: a file replaced in place changes the bytes.
    const fingerprint = createHash("sha256").update(`${stream.name}\0${stream.version}\0${stream.mode}`);
    for (const id of itemIds) fingerprint.update(`\0${playable.get(id)?.fileKey}`);
    return {
      stream,
      looping: isLooping(stream.mode),
      segments,
      itemIds,
      size: totalLength(segments),
      etag: `"s-${fingerprint.digest("hex").slice(0, 20)}"`,
      cycle,
    };
  }

  /** Drop a reused snapshot, e.g. after sending it failed because a file vanished, so a retry sees the truth. */
  forget(name: string): void {
    this.#snapshots.delete(name);
  }

  record(request: StreamRequest): void {
    this.#opts.bus.emit("stream.requested", request);
    // Deleted while the request was being prepared: do not bring its log back to life.
    if (!this.#streams.has(request.stream)) return;
    const list = this.#requests.get(request.stream) ?? [];
    list.push(request);
    if (list.length > REQUESTS_KEPT) list.shift();
    this.#requests.set(request.stream, list);
  }

  requests(name: string): readonly StreamRequest[] {
    this.get(name);
    return this.#requests.get(name) ?? [];
  }

  async #segment(stream: string, id: string): Promise<{segment: Segment; fileKey: string; format: string} | undefined> {
    const entry = this.#opts.library.get(id) ? this.#opts.library.resolve(id) : undefined;
    if (!entry) {
      this.#opts.log.warning(`Stream '${stream}': skipping '${id}', which is no longer in the library`);
      return undefined;
    }
    try {
      const st = await stat(entry.absPath);
      const key = `${entry.absPath}\0${st.size}\0${st.mtimeMs}`;
      let payload = this.#payloads.get(key);
      if (!payload) {
        if (this.#payloads.size >= MAX_CACHED_PAYLOADS) this.#payloads.clear();
        payload = analyzeMp3(entry.absPath);
        this.#payloads.set(key, payload);
        payload.catch(() => this.#payloads.delete(key));
      }
      const {start, end, sampleRate, channels} = await payload;
      return {
        segment: {file: entry.absPath, start, end: end - 1},
        fileKey: key,
        format: `${sampleRate} Hz ${channels === 1 ? "mono" : "stereo"}`,
      };
    } catch (err) {
      this.#opts.log.warning(`Stream '${stream}': skipping '${entry.item.relPath}' (${errorMessage(err)})`);
      return undefined;
    }
  }

  /** Some players stutter or go silent where the sample rate or channel count changes mid-stream. */
  #warnIfMixed(stream: StreamState, formats: string[]): void {
    const distinct = [...new Set(formats)].sort();
    if (distinct.length > 1) {
      this.#opts.log.warning(
        `Stream '${stream.name}' mixes ${distinct.join(", ")} audio; some players stumble where it changes: upload the files with audio_normalize on`,
      );
    }
  }

  #preset(stream: StreamState, preset: string): string[] {
    // Object.hasOwn: names like 'constructor' or '__proto__' must not find Object.prototype's members.
    const items = Object.hasOwn(stream.presets, preset) ? stream.presets[preset] : undefined;
    if (!items) {
      const known = Object.keys(stream.presets);
      throw notFound(
        `Stream '${stream.name}' has no preset '${preset}'${known.length ? ` (it has: ${known.join(", ")})` : ""}`,
        "unknown_preset",
      );
    }
    return items;
  }

  #mutate(
    name: string,
    reason: string,
    create: boolean,
    change: (current: StreamState) => Partial<StreamState>,
  ): Promise<StreamState> {
    return this.#serial(async () => {
      const now = new Date().toISOString();
      const current =
        this.#streams.get(name) ?? (create ? emptyStream(checkName("stream", name), now) : this.get(name));
      const next: StreamState = {...current, ...change(current), version: current.version + 1, updatedAt: now};
      await this.#persist(next);
      this.#streams.set(name, next);
      this.#opts.bus.emit("stream.changed", {name, version: next.version, reason, items: next.items.length});
      return next;
    });
  }

  async #persist(state: StreamState): Promise<void> {
    try {
      await this.#keyv?.set(state.name, state);
    } catch (err) {
      throw new AppError("store_failed", `Could not save stream '${state.name}' (${errorMessage(err)})`, {cause: err});
    }
  }

  /** Run `task` after every earlier mutation, whatever their outcome. */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(task, task);
    this.#chain = run.catch(() => undefined);
    return run;
  }
}
