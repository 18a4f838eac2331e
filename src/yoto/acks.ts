import {AppError} from "../core/errors.js";
import {ackKeysFor} from "./commands.js";

interface Pending {
  topic: string;
  keys: Set<string>;
  body: string;
  label: string;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Matches `device/<id>/response` acks to the commands waiting for them. A player acks every
 * client's command on the same topic, the Yoto app's included, and echoes the exact bytes it was
 * sent as `req_body` (reference §10.8): so an ack is ours only when its key is one of the topic's
 * and its body is byte for byte what we sent. A matching key with another body is someone else's
 * command and settles nothing, whatever its result. Two of our own identical commands in flight
 * (or two empty-bodied ones sharing a key) cannot be told apart: the oldest is settled first.
 * Whatever is left unanswered times out with a readable error.
 */
export class AckTracker {
  readonly #pending = new Map<string, Pending[]>();

  /** Resolves on OK, rejects on FAIL or after `timeoutMs`. Register before publishing. */
  expect(deviceId: string, topic: string, body: string, label: string, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const entry: Pending = {topic, keys: ackKeysFor(topic), body, label, resolve, reject, timer: undefined as never};
      entry.timer = setTimeout(() => {
        this.#remove(deviceId, entry);
        reject(
          new AppError(
            "command_timeout",
            `${label} was not acknowledged within ${Math.round(timeoutMs / 100) / 10} s: the player may be offline, asleep or out of Wi-Fi range`,
            {status: 504, expose: true},
          ),
        );
      }, timeoutMs);
      const list = this.#pending.get(deviceId) ?? [];
      list.push(entry);
      this.#pending.set(deviceId, list);
    });
  }

  /** A parsed `response` payload: `{status: {<key>: "OK"|"FAIL", req_body: "<sent>"}}`. */
  handle(deviceId: string, payload: unknown): boolean {
    const list = this.#pending.get(deviceId);
    const status = (payload as {status?: unknown} | null)?.status;
    if (!list?.length || typeof status !== "object" || status === null) return false;
    const {req_body: echoed, ...results} = status as Record<string, unknown>;
    // Without the echoed body nothing proves whose command this was.
    if (typeof echoed !== "string") return false;
    for (const [key, result] of Object.entries(results)) {
      // The list is in sending order, so `find` settles the oldest of identical commands.
      const entry = list.find((p) => p.keys.has(key) && p.body === echoed);
      if (!entry) continue;
      this.#remove(deviceId, entry);
      if (String(result).toUpperCase() === "OK") entry.resolve();
      else
        entry.reject(
          new AppError(
            "command_failed",
            `${entry.label} was refused by the player (${String(result)}); ${failureHint(entry.topic)}`,
            {status: 502, expose: true},
          ),
        );
      return true;
    }
    return false;
  }

  /** On stop: nobody waits forever. */
  rejectAll(reason: string): void {
    for (const list of this.#pending.values())
      for (const entry of list) {
        clearTimeout(entry.timer);
        entry.reject(new AppError("cancelled", `${entry.label} was cancelled: ${reason}`, {status: 503}));
      }
    this.#pending.clear();
  }

  #remove(deviceId: string, entry: Pending): void {
    clearTimeout(entry.timer);
    const list = this.#pending.get(deviceId) ?? [];
    const index = list.indexOf(entry);
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) this.#pending.delete(deviceId);
  }
}

/** What a FAIL means for the command that got it, so the advice is true for that command. */
function failureHint(topic: string): string {
  if (topic === "card/start")
    return "check the card is on the family's account and the chapter and track exist on it, spelled as the card spells them";
  if (topic === "volume/set")
    return "it did not take the new volume; try again, and restart the player if it keeps refusing";
  if (topic.startsWith("card/")) return "it may have no card to do that with right now";
  return "this player or its firmware may not support it";
}
