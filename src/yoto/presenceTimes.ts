/**
 * Each player's newest presence time (`ts`, epoch ms). The broker hands a new subscriber the
 * retained presence after it has taken the subscription, so a live "offline" published meanwhile
 * can come first: the older "online" after it must not bring the player back.
 */
export class PresenceTimes {
  readonly #newest = new Map<string, number>();

  /** Whether this presence is older than one already applied; one without a time never is. */
  isStale(deviceId: string, payload: object): boolean {
    const ts = (payload as {ts?: unknown}).ts;
    if (typeof ts !== "number" || !Number.isFinite(ts)) return false;
    if (ts < (this.#newest.get(deviceId) ?? Number.NEGATIVE_INFINITY)) return true;
    this.#newest.set(deviceId, ts);
    return false;
  }

  forget(deviceId: string): void {
    this.#newest.delete(deviceId);
  }
}
