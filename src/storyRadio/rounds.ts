/** The queue holds this many ids at most: rounds are repeated until it would pass it (a stream holds 2,000). */
const MAX_QUEUE = 1000;
const MAX_ROUNDS = 8;
/** What a stream's queue holds at most. */
const MAX_STREAM = 2000;

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
  // Where the loop comes back to the start, not the same unit twice either: the last round's last two change places.
  const lastRound = out.length - size;
  if (units.length > 1 && rounds > 0) {
    const first = firstUnit(out, units);
    const tail = orderOf(out.slice(lastRound), units);
    if (tail.at(-1) === first && tail.length > 1) {
      [tail[tail.length - 1], tail[tail.length - 2]] = [
        tail[tail.length - 2] as string[],
        tail[tail.length - 1] as string[],
      ];
      out.splice(lastRound, size, ...tail.flat());
    }
  }
  // One round bigger than the queue holds (a shelf of long streams): as much of it as a stream holds.
  return out.slice(0, Math.max(MAX_QUEUE, Math.min(size, MAX_STREAM)));
}

/** The units in the order they stand in `ids` (each unit's ids together, as written). */
function orderOf(ids: readonly string[], units: readonly string[][]): string[][] {
  const order: string[][] = [];
  for (let i = 0; i < ids.length; ) {
    const unit = units.find((u) => u.length > 0 && u.every((id, k) => ids[i + k] === id));
    if (!unit) break;
    order.push(unit);
    i += unit.length;
  }
  return order;
}

function firstUnit(ids: readonly string[], units: readonly string[][]): string[] | undefined {
  return units.find((u) => u.length > 0 && u.every((id, k) => ids[k] === id));
}

function shuffled<T>(list: readonly T[], random: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
