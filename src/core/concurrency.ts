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
