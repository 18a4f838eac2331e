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
 * Matches `device/<id>/response` acks to the commands waiting for them. Ack key names are not
 * reliable (reference §4.4), so a reply is matched by key and echoed body, then by key, then by
 * echoed body alone; whatever is left unanswered times out with a readable error.
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
    const reqBody = typeof echoed === "string" ? echoed : undefined;
    for (const [key, result] of Object.entries(results)) {
      const entry =
        list.find((p) => p.keys.has(key) && p.body === reqBody) ??
        list.find((p) => p.keys.has(key)) ??
        (reqBody ? list.find((p) => p.body === reqBody && reqBody !== "") : undefined);
      if (!entry) continue;
      this.#remove(deviceId, entry);
      if (String(result).toUpperCase() === "OK") entry.resolve();
      else
        entry.reject(
          new AppError(
            "command_failed",
            `${entry.label} was refused by the player (${String(result)}); check the card, chapter and track exist and the player supports it`,
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
