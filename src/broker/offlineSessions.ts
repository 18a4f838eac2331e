import type {Logger} from "../core/logger.js";

export interface OfflineSessionLimits {
  /** Longest MQTT 5 session expiry a client may ask for, in seconds (a larger one, "never" too, is cut to it). */
  maxSessionExpirySeconds: number;
  /** Sessions kept for disconnected MQTT 5 clients at once; beyond it a leaving client's session ends. */
  maxPendingSessions: number;
  /** Away clients (MQTT 3.1.1 and 5) with messages kept for them at once; others get none kept. */
  maxAwayClients: number;
  /** All that is kept for away clients together, in bytes. */
  maxTotalBytes: number;
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
  maxAwayClients: 100,
  maxTotalBytes: 32 * 1024 * 1024,
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
 * limit. Each away client's queue is counted here as messages are queued for it, and counted down
 * as the client acknowledges them (a client that reconnects and drops the line before acknowledging
 * keeps its count: reconnecting does not empty a queue). Past a client's limits, past the number of
 * away clients or past the total, newer messages are not queued, and the log says so once a minute
 * per client. A session that ends (expired, or replaced by a clean start) frees its count.
 */
export class OfflineSessions {
  readonly #limits: OfflineSessionLimits;
  readonly #log: Logger;
  readonly #queues = new Map<string, Queued>();
  #totalBytes = 0;
  #fullWarnedAt = Number.NEGATIVE_INFINITY;

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
        if (this.#queues.size >= this.#limits.maxAwayClients) {
          this.#warnFull(sub.clientId, `${this.#limits.maxAwayClients} other away clients already have messages kept`);
          continue;
        }
        queued = {messages: 0, bytes: 0, dropped: 0};
        this.#queues.set(sub.clientId, queued);
      }
      const full =
        queued.messages + 1 > this.#limits.maxQueuedMessages || queued.bytes + bytes > this.#limits.maxQueuedBytes;
      if (full || this.#totalBytes + bytes > this.#limits.maxTotalBytes) {
        queued.dropped++;
        if (full) this.#warn(sub.clientId, queued);
        else this.#warnFull(sub.clientId, `${mib(this.#limits.maxTotalBytes)} MiB are kept for away clients already`);
        continue;
      }
      queued.messages++;
      queued.bytes += bytes;
      this.#totalBytes += bytes;
      kept.push(sub);
    }
    return kept;
  }

  /** The client acknowledged a message that was kept for it: one fewer held. */
  delivered(clientId: string, bytes: number): void {
    const queued = this.#queues.get(clientId);
    if (!queued) return;
    const freed = Math.min(bytes, queued.bytes);
    queued.messages = Math.max(0, queued.messages - 1);
    queued.bytes -= freed;
    this.#totalBytes -= freed;
    if (queued.messages === 0) this.reset(clientId);
  }

  /** Its session ended (expired, cut, or replaced by a clean start), or all was taken: nothing is held for it. */
  reset(clientId: string): void {
    const queued = this.#queues.get(clientId);
    if (!queued) return;
    if (queued.dropped)
      this.#log.info(
        `MQTT client '${clientId}': ${queued.dropped} message(s) were dropped while it was away, beyond what is kept for a session`,
      );
    this.#totalBytes -= queued.bytes;
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

  #warnFull(clientId: string, why: string): void {
    const now = Date.now();
    if (now - this.#fullWarnedAt < WARN_INTERVAL_MS) return;
    this.#fullWarnedAt = now;
    this.#log.warning(
      `MQTT client '${clientId}' is away and gets no more messages kept: ${why} (the most the broker keeps)`,
    );
  }

  #warn(clientId: string, queued: Queued): void {
    const now = Date.now();
    if (now - (queued.warnedAt ?? -Infinity) < WARN_INTERVAL_MS) return;
    queued.warnedAt = now;
    this.#log.warning(
      `MQTT client '${clientId}' is away with ${queued.messages} messages (${(queued.bytes / 1024 / 1024).toFixed(1)} MiB) kept for it, the most one session may hold (${this.#limits.maxQueuedMessages} messages, ${mib(this.#limits.maxQueuedBytes)} MiB): newer ones are dropped until it takes them`,
    );
  }
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(0);
}
