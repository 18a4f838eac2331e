/** The queue holds this many ids at most: rounds are repeated until it would pass it (a stream holds 2,000). */
const MAX_QUEUE = 1000;
const MAX_ROUNDS = 8;

/**
 * The programme's queue: rounds of the units in a new order each, a unit's ids kept together and
 * in order, no unit twice in a row where one round meets the next. Played in a loop, every unit
 * plays once before any plays again.
 */
export function programmeRounds(units: readonly string[][], random: () => number = Math.random): string[] {
  const size = units.reduce((n, u) => n + u.length, 0);
  if (size === 0) return [];
  const rounds = Math.max(1, Math.min(MAX_ROUNDS, Math.floor(MAX_QUEUE / size)));
  const out: string[] = [];
  let last: readonly string[] | undefined;
  for (let r = 0; r < rounds; r++) {
    const order = shuffled(units, random);
    // The round's first is not the last round's last: swapped with another of this round.
    if (order.length > 1 && order[0] === last) [order[0], order[1]] = [order[1] as string[], order[0] as string[]];
    for (const unit of order) out.push(...unit);
    last = order[order.length - 1];
  }
  // A single round too big for the queue is cut, whole units first.
  return out.slice(0, Math.max(MAX_QUEUE, units[0]?.length ?? 0));
}

function shuffled<T>(list: readonly T[], random: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
