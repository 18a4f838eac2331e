import {decodeUtf8} from "./coerce.js";
import type {PlayerState} from "./playerModel.js";
import {PresenceTimes} from "./presenceTimes.js";
import type {InboundKind} from "./topics.js";

/** The counts the players' health shows; shared with YotoPlayers, which owns the object. */
export interface InboundStats {
  messages: number;
  duplicates: number;
  malformed: number;
  notUtf8: number;
  stalePresence: number;
}

export interface InboundMessagesOptions {
  stats: InboundStats;
  /** The first time as a warning, then at debug level: the same problem tends to repeat. */
  warnOnce(key: string, message: string): void;
}

/**
 * What the cloud broker sends, read into a JSON object worth applying, or dropped: the second copy
 * of an events message, text that is not a JSON object, and a presence older than one applied.
 * Kept apart from the player model so the model's code sees only payloads that hold.
 */
export class InboundMessages {
  readonly #opts: InboundMessagesOptions;
  /** Each player's last events payload: players send every event twice, on data/events and the legacy topic. */
  readonly #lastEvents = new Map<string, Buffer>();
  /** Presence times: an older retained presence after a newer live one is ignored. */
  readonly #presence = new PresenceTimes();

  constructor(opts: InboundMessagesOptions) {
    this.#opts = opts;
  }

  /** The message's object, or undefined when it is to be dropped (counted, and warned about once). */
  read(player: PlayerState, kind: InboundKind, raw: Buffer): object | undefined {
    const stats = this.#opts.stats;
    stats.messages++;
    if (kind === "events" || kind === "legacyEvents") {
      // The same bytes again (the copy on the other topic) change nothing: not parsed twice.
      if (this.#lastEvents.get(player.id)?.equals(raw)) {
        stats.duplicates++;
        return undefined;
      }
      // A copy: the parser's buffer may be a slice of a larger one, which would stay pinned.
      this.#lastEvents.set(player.id, Buffer.from(raw));
    }
    const {text, valid} = decodeUtf8(raw);
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      this.#malformed(player, kind, valid ? "it is not JSON" : "it is not JSON (nor valid UTF-8)");
      return undefined;
    }
    if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
      this.#malformed(player, kind, "it is not a JSON object");
      return undefined;
    }
    if (!valid) {
      // Seen while a player streams Yoto's live radio: the JSON holds, only some text is damaged.
      stats.notUtf8++;
      this.#opts.warnOnce(
        `${player.id}/${kind}/utf8`,
        `A ${kind} message from '${player.name}' had bytes that are not UTF-8; read it with those bytes replaced`,
      );
    }
    if (kind === "presence" && this.#presence.isStale(player.id, payload)) {
      stats.stalePresence++;
      return undefined;
    }
    return payload;
  }

  /** A player gone from the account: what was kept for it goes too. */
  forget(deviceId: string): void {
    this.#lastEvents.delete(deviceId);
    this.#presence.forget(deviceId);
  }

  /** Warn once per player and topic kind; a chatty broken firmware must not flood the log. */
  #malformed(player: PlayerState, kind: InboundKind, why: string): void {
    this.#opts.stats.malformed++;
    this.#opts.warnOnce(`${player.id}/${kind}`, `Ignored a ${kind} message from '${player.name}' because ${why}`);
  }
}
