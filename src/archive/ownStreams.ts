import {AppError} from "../core/errors.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";
import type {StreamState} from "../streams/model.js";
import type {Streams} from "../streams/streams.js";
import type {CardRecord} from "./cardRecord.js";

/**
 * The stream the archive made for a card: its name, and when it was made. A stream of that name
 * made later (the family deleted the card's and made their own) has another `createdAt`: not the card's.
 */
interface OwnStream {
  stream: string;
  createdAt: string;
}

// A title's name keeps to this many characters, so "-2" … "-99" still fit a stream name's 64.
const TITLE_NAME_CHARS = 56;
const MAX_SUFFIX = 99;
const LETTERS = new Map(Object.entries({ß: "ss", æ: "ae", œ: "oe", ø: "o", ł: "l", đ: "d", ð: "d", þ: "th"}));

/**
 * A stream name from a card's title, as a person would write it: "The Moon Fox" → "the-moon-fox",
 * "Grandma's songs" → "grandmas-songs", accents dropped, cut at a word. Undefined when the title
 * has no letter or digit a stream name can hold (a title all in another script, or emoji).
 */
export function nameFromTitle(title: string): string | undefined {
  const words = title
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    // Letters no accent comes off: "Große Bär" is "grosse-bar", not "gro-e-bar".
    .replace(/[ßæœøłđðþ]/g, (c) => LETTERS.get(c) ?? "")
    // An apostrophe joins its word: "grandmas", not "grandma-s".
    .replace(/['’‘`]/g, "")
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let name = "";
  for (const word of words) {
    const longer = name ? `${name}-${word}` : word;
    if (longer.length > TITLE_NAME_CHARS) return name || word.slice(0, TITLE_NAME_CHARS);
    name = longer;
  }
  return name || undefined;
}

/** What the streams made from archived cards were named before they were named after the card. */
function legacyName(cardId: string): string {
  return `archive-${cardId.toLowerCase()}`;
}

/**
 * Which stream is an archived card's own, remembered by card in the store: only that one is made
 * again when the card is made playable again, so a stream the family made (or another card's, of
 * the same title) is never written over.
 */
export class OwnStreams {
  readonly #streams: Pick<Streams, "has" | "get">;
  #store?: StoreNamespace<OwnStream>;
  #state?: StateStore;

  constructor(streams: Pick<Streams, "has" | "get">) {
    this.#streams = streams;
  }

  start(store: StateStore): void {
    this.#store = store.namespace<OwnStream>("archive_streams");
    this.#state = store;
  }

  /** The card's own stream while it exists: the one remembered, else one an earlier version named `archive-<card>`. */
  async of(record: CardRecord): Promise<string | undefined> {
    const kept = await this.#store?.get(record.cardId);
    if (kept && this.#streams.has(kept.stream) && this.#streams.get(kept.stream).createdAt === kept.createdAt)
      return kept.stream;
    // Cards made for those streams point at them by name: they keep playing what they played.
    const legacy = legacyName(record.cardId);
    return this.#streams.has(legacy) ? legacy : undefined;
  }

  /**
   * Which of these archived cards the stream is the own stream of: the one remembered for it (while
   * it is that very stream), else the card an earlier version named it after (`archive-<card>`).
   * One read of what is remembered, a row per card made playable.
   */
  async cardOf(stream: string, cardIds: Iterable<string>): Promise<string | undefined> {
    if (!this.#streams.has(stream)) return undefined;
    const createdAt = this.#streams.get(stream).createdAt;
    for (const [cardId, kept] of (await this.#state?.entries<OwnStream>("archive_streams")) ?? [])
      if (kept.stream === stream && kept.createdAt === createdAt) return cardId;
    for (const cardId of cardIds) if (legacyName(cardId) === stream) return cardId;
    return undefined;
  }

  /** A name no stream has yet: the title's, or with "-2", "-3"… when other streams have it. */
  fresh(record: CardRecord): string {
    const base = nameFromTitle(record.title) ?? legacyName(record.cardId);
    for (let n = 1; n <= MAX_SUFFIX; n++) {
      const name = n === 1 ? base : `${base}-${n}`;
      if (!this.#streams.has(name)) return name;
    }
    throw new AppError(
      "stream_exists",
      `Streams '${base}' to '${base}-${MAX_SUFFIX}' all exist already; give this card's stream a name`,
      {status: 409},
    );
  }

  async remember(cardId: string, state: StreamState): Promise<void> {
    await this.#store?.set(cardId, {stream: state.name, createdAt: state.createdAt});
  }
}
