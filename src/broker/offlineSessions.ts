import type {Logger} from "../core/logger.js";

export interface OfflineSessionLimits {
  /** Longest MQTT 5 session expiry a client may ask for, in seconds (a larger one, "never" too, is cut to it). */
  maxSessionExpirySeconds: number;
  /** Sessions kept for disconnected MQTT 5 clients at once; beyond it a leaving client's session ends. */
  maxPendingSessions: number;
  /** Messages kept for one disconnected client with a session, and their bytes: newer ones are dropped. */
  maxQueuedMessages: number;
  maxQueuedBytes: number;
}

/**
 * A day of absence is kept (Home Assistant restarting, a laptop asleep overnight); a client gone
 * longer starts afresh. 40 MB published to one such client once became +48 MB held for good.
 */
export const DEFAULT_OFFLINE_LIMITS: OfflineSessionLimits = {
  maxSessionExpirySeconds: 24 * 60 * 60,
  maxPendingSessions: 100,
  maxQueuedMessages: 1000,
  maxQueuedBytes: 4 * 1024 * 1024,
};

interface Queued {
  messages: number;
  bytes: number;
  dropped: number;
  warnedAt?: number;
}

type Sub = {clientId: string};

const WARN_INTERVAL_MS = 60_000;

/**
 * Bounds what the broker keeps for clients that are away: Aedes queues every QoS 1/2 message
 * matching a persistent session (`clean: false`, or an MQTT 5 session expiry) in memory, without
 * limit. Each away client's queue is counted here as messages are queued for it; past the limits
 * newer messages are not queued, and the log says so once a minute per client. The count starts
 * again when the client comes back (its queue is delivered) or its session ends.
 */
export class OfflineSessions {
  readonly #limits: OfflineSessionLimits;
  readonly #log: Logger;
  readonly #queues = new Map<string, Queued>();

  constructor(limits: OfflineSessionLimits, log: Logger) {
    this.#limits = limits;
    this.#log = log;
  }

  /** The subscriptions a message may still be queued for; `online` says which clients are connected. */
  admit<S extends Sub>(subs: S[], bytes: number, online: (clientId: string) => boolean): S[] {
    const kept: S[] = [];
    for (const sub of subs) {
      if (online(sub.clientId)) {
        kept.push(sub);
        continue;
      }
      let queued = this.#queues.get(sub.clientId);
      if (!queued) {
        queued = {messages: 0, bytes: 0, dropped: 0};
        this.#queues.set(sub.clientId, queued);
      }
      if (queued.messages + 1 > this.#limits.maxQueuedMessages || queued.bytes + bytes > this.#limits.maxQueuedBytes) {
        queued.dropped++;
        this.#warn(sub.clientId, queued);
        continue;
      }
      queued.messages++;
      queued.bytes += bytes;
      kept.push(sub);
    }
    return kept;
  }

  /** The client is back (its queue goes out to it) or its session ended: nothing is held for it. */
  reset(clientId: string): void {
    const queued = this.#queues.get(clientId);
    if (queued?.dropped)
      this.#log.info(
        `MQTT client '${clientId}': ${queued.dropped} message(s) were dropped while it was away, beyond what is kept for a session`,
      );
    this.#queues.delete(clientId);
  }

  /** Away clients with messages held, and how much (health). */
  get stats(): {clients: number; messages: number; bytes: number; dropped: number} {
    let messages = 0;
    let bytes = 0;
    let dropped = 0;
    for (const q of this.#queues.values()) {
      messages += q.messages;
      bytes += q.bytes;
      dropped += q.dropped;
    }
    return {clients: this.#queues.size, messages, bytes, dropped};
  }

  #warn(clientId: string, queued: Queued): void {
    const now = Date.now();
    if (now - (queued.warnedAt ?? -Infinity) < WARN_INTERVAL_MS) return;
    queued.warnedAt = now;
    const mib = (queued.bytes / 1024 / 1024).toFixed(1);
    this.#log.warning(
      `MQTT client '${clientId}' is away with ${queued.messages} messages (${mib} MiB) kept for it, the most one session may hold (${this.#limits.maxQueuedMessages} messages, ${(this.#limits.maxQueuedBytes / 1024 / 1024).toFixed(0)} MiB): newer ones are dropped until it reconnects`,
    );
  }
}
