/** Run `fn` over `items` with at most `limit` in flight: enough to keep a disk busy, never a file-handle flood. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
}

/**
 * Work on one key (a player, a stream) done one piece at a time, in the order asked; different keys
 * run side by side. A failed piece answers its own caller and does not hold up the next one.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Run `fn` once everything queued before it for `key` has settled. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(key) ?? Promise.resolve();
    const next = before.catch(() => undefined).then(fn);
    const settled = next.catch(() => undefined);
    this.#tails.set(key, settled);
    void settled.then(() => {
      if (this.#tails.get(key) === settled) this.#tails.delete(key);
    });
    return next;
  }

  /** Resolves once every piece queued so far has settled (a service's stop). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.#tails.values()]);
  }
}

/**
 * `fn` over `items`, at most `limit` running at once, started in order: each item's own promise,
 * so a caller can use the first results while later ones are still under way. Once `signal`
 * aborts, items not started yet reject with its reason (those running finish as they would).
 */
export function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
  signal?: AbortSignal,
): Promise<R>[] {
  const go: Array<() => void> = [];
  const starts = items.map((_, i) => new Promise<void>((resolve) => (go[i] = resolve)));
  let next = 0;
  const startNext = () => {
    if (next < items.length) go[next++]?.();
  };
  const results = items.map(async (item, i) => {
    await starts[i];
    try {
      signal?.throwIfAborted();
      return await fn(item);
    } finally {
      startNext();
    }
  });
  for (let i = 0; i < Math.min(limit, items.length); i++) startNext();
  return results;
}

/**
 * Resolve once the event loop has looked for I/O: a lone `setImmediate` from an I/O callback runs
 * before the next poll, so a request that came in meanwhile would still wait; the second hop runs
 * after it. Long work split with this lets a waiting request in between its parts.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
