import {KeyedQueue} from "../core/concurrency.js";
import {AppError} from "../core/errors.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** Who tries a PIN: the tablet's device link, and the address it came from. */
export interface PinTrier {
  tablet: string;
  address: string;
}

type Scope = "tablet" | "address" | "all";

/**
 * Tries allowed in a minute and in a day, per tablet, per address and in all. A tablet is a
 * child's; four digits are 10,000 guesses, so a tablet walks them in no less than 200 days. One
 * tablet can never spend an address's or the family's tries, so a child hammering the kitchen
 * tablet leaves the parent's PIN working on the bedroom one.
 */
export const PIN_LIMITS: Readonly<Record<Scope, {minute: number; day: number}>> = {
  tablet: {minute: 5, day: 50},
  address: {minute: 10, day: 100},
  all: {minute: 20, day: 200},
};

/** Addresses remembered at once: past this, the one tried longest ago is forgotten. */
const MAX_ADDRESSES = 500;

const WHERE: Record<Scope, string> = {
  tablet: "on this tablet",
  address: "from this address",
  all: "on the family's tablets",
};

/**
 * The parent PIN's tries, each counted before the PIN is checked: taken in one synchronous step
 * (so a burst of guesses sent at once is refused past the limit, not evaluated), then written to
 * the state store before the check runs (so a restart, even a kill, forgets none).
 */
export class PinTries {
  #space?: StoreNamespace<number[]>;
  /** `tablet:<link>`, `address:<ip>`, `all` → when each try was taken, oldest first, within a day. */
  readonly #tries = new Map<string, number[]>();
  /** Each key's writes in the order taken, so an older list never lands after a newer one. */
  readonly #writes = new KeyedQueue();

  constructor(
    private readonly store: StateStore,
    private readonly now: () => number,
  ) {}

  async start(): Promise<void> {
    this.#space = this.store.namespace<number[]>("parent_pin_tries");
    this.#tries.clear();
    const now = this.now();
    for (const [key, times] of await this.store.entries<number[]>("parent_pin_tries")) {
      const kept = Array.isArray(times) ? times.filter((t) => typeof t === "number" && now - t < DAY_MS) : [];
      if (kept.length) this.#tries.set(key, kept);
      else await this.#space.delete(key);
    }
  }

  /**
   * Count a try for `who` in every scope, or refuse it (429, how long to wait) when any scope has
   * none left. Resolves once the count is committed; a store that cannot take it refuses the try.
   */
  async take(who: PinTrier): Promise<void> {
    const space = this.#store();
    const now = this.now();
    const keys: Array<[Scope, string]> = [
      ["tablet", `tablet:${who.tablet}`],
      ["address", `address:${who.address}`],
      ["all", "all"],
    ];
    for (const [scope, key] of keys) {
      const refusal = refusalOf(scope, this.#recent(key, now), now);
      if (refusal) throw refusal;
    }
    for (const [, key] of keys) {
      const times = this.#recent(key, now);
      times.push(now);
      // Re-inserted: the map's order is least recently tried first, for forgetting addresses.
      this.#tries.delete(key);
      this.#tries.set(key, times);
    }
    this.#forgetOldAddresses();
    await Promise.all(keys.map(([, key]) => this.#write(space, key)));
  }

  #recent(key: string, now: number): number[] {
    const times = this.#tries.get(key) ?? [];
    while (times.length && now - (times[0] as number) >= DAY_MS) times.shift();
    return times;
  }

  #forgetOldAddresses(): void {
    let addresses = 0;
    for (const key of this.#tries.keys()) if (key.startsWith("address:")) addresses++;
    for (const key of this.#tries.keys()) {
      if (addresses <= MAX_ADDRESSES) return;
      if (!key.startsWith("address:")) continue;
      this.#tries.delete(key);
      addresses--;
      void this.#write(this.#store(), key).catch(() => undefined);
    }
  }

  /** The key's list as it is now, after whatever was written for it before. */
  #write(space: StoreNamespace<number[]>, key: string): Promise<void> {
    return this.#writes.run(key, () => {
      const times = this.#tries.get(key);
      return times?.length ? space.set(key, [...times]) : space.delete(key);
    });
  }

  #store(): StoreNamespace<number[]> {
    if (!this.#space) throw new AppError("not_started", "The parent PIN is not loaded yet", {status: 503});
    return this.#space;
  }
}

/** The 429 for a scope that has spent its minute's or its day's tries, or undefined. */
function refusalOf(scope: Scope, times: readonly number[], now: number): AppError | undefined {
  const limit = PIN_LIMITS[scope];
  const inMinute = times.filter((t) => now - t < MINUTE_MS);
  const full =
    inMinute.length >= limit.minute
      ? {
          waitMs: MINUTE_MS - (now - (inMinute[inMinute.length - limit.minute] as number)),
          per: `${limit.minute} a minute`,
        }
      : times.length >= limit.day
        ? {waitMs: DAY_MS - (now - (times[times.length - limit.day] as number)), per: `${limit.day} a day`}
        : undefined;
  if (!full) return undefined;
  const seconds = Math.max(1, Math.ceil(full.waitMs / 1000));
  const error = new AppError(
    "pin_tries",
    `Too many PIN tries ${WHERE[scope]} (${full.per}): try again in ${waitWords(seconds)}, or unlock the tablet from a parent's signed-in browser`,
    {status: 429},
  );
  return Object.assign(error, {retryAfterSeconds: seconds});
}

function waitWords(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  return `${Math.ceil(minutes / 60)} h`;
}
