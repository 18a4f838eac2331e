import {createHash} from "node:crypto";
import {AppError, badRequest, notFound} from "../core/errors.js";
import type {PlayMode, StreamState} from "../shared/api/streams.js";

export type {PlayMode, StreamState};

export const PLAY_MODES = ["once", "loop", "shuffle", "shuffle_loop"] as const satisfies readonly PlayMode[];

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const NAME_RULE = "use 1–64 lowercase letters, digits, '-' or '_', starting with a letter or digit";
export const MAX_ITEMS = 2000;

export function checkName(kind: "stream" | "preset", name: string): string {
  if (!NAME.test(name)) throw badRequest(`'${name}' is not a valid ${kind} name: ${NAME_RULE}`, `bad_${kind}_name`);
  return name;
}

/** "tone-fm" → "Tone fm", "bedtime_songs" → "Bedtime songs": a name read as the words it was typed from. */
export function inWords(name: string): string {
  const words = name.replace(/[-_]+/g, " ").trim();
  return words ? words[0]?.toUpperCase() + words.slice(1) : name;
}

export function checkMode(mode: unknown): PlayMode {
  if (!PLAY_MODES.includes(mode as PlayMode)) {
    throw badRequest(`mode must be one of: ${PLAY_MODES.join(", ")}`, "bad_mode");
  }
  return mode as PlayMode;
}

export function emptyStream(name: string, now: string): StreamState {
  return {name, items: [], mode: "once", presets: {}, activePreset: null, version: 0, createdAt: now, updatedAt: now};
}

/** Queue edits as pure functions of the current queue; each throws a 400 naming what was wrong. */
export const edits = {
  replace: (_items: string[], next: string[]) => limit(next),
  append: (items: string[], added: string[]) => limit([...items, ...added]),
  insert: (items: string[], index: number, added: string[]) => {
    checkIndex(index, items.length + 1, items.length);
    return limit([...items.slice(0, index), ...added, ...items.slice(index)]);
  },
  removeAt: (items: string[], index: number) => {
    checkIndex(index, items.length, items.length);
    return items.filter((_, i) => i !== index);
  },
  move: (items: string[], from: number, to: number) => {
    checkIndex(from, items.length, items.length, "from");
    checkIndex(to, items.length, items.length, "to");
    const next = [...items];
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved as string);
    return next;
  },
};

/** A preset's items, or a 404 naming the presets the stream has. */
export function presetItems(stream: StreamState, preset: string): string[] {
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

function checkIndex(index: number, bound: number, length: number, what = "index"): void {
  if (!Number.isInteger(index) || index < 0 || index >= bound) {
    throw badRequest(`${what} ${index} is out of range: the queue has ${length} item(s)`, "bad_index");
  }
}

function limit(items: string[]): string[] {
  checkRoom(items.length);
  return items;
}

/** Refuses a queue of `count` items (those on their way counted too) when a stream cannot hold them. */
export function checkRoom(count: number): void {
  if (count > MAX_ITEMS) {
    throw new AppError("queue_too_long", `A stream holds at most ${MAX_ITEMS} items`, {status: 413});
  }
}

/**
 * The order a snapshot plays. Shuffled modes use a permutation seeded by (name, version, cycle), so
 * every request for the same version sees the same bytes — which byte ranges and resuming need.
 */
export function playOrder(stream: Pick<StreamState, "name" | "items" | "mode" | "version">, cycle = 0): string[] {
  if (stream.mode === "once" || stream.mode === "loop") return stream.items;
  const random = seededRandom(`${stream.name}\0${stream.version}\0${cycle}`);
  const order = [...stream.items];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as string, order[i] as string];
  }
  return order;
}

export function isLooping(mode: PlayMode): boolean {
  return mode === "loop" || mode === "shuffle_loop";
}

/** mulberry32 seeded from a hash: deterministic, fast, and plenty for ordering songs. */
function seededRandom(seed: string): () => number {
  let state = createHash("sha256").update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
