/**
 * Counting crossings in a layered drawing, and the last step of the story graph's layout: moves
 * that barycentre sweeps cannot make, because they move one key at a time. An exit across several
 * layers (a chain of waypoints) is routed again as a whole, by the cheapest way through the layers
 * between its two scenes; and each scene is tried at every place in its layer, its long exits
 * routed again with it. A spoken menu needs both: the exit into its first choice's scene comes from
 * two sides, and only moving that scene with its long exit untangles it.
 */

/** Hops as [left key, right key] between neighbouring layers. */
export type Hop = [string, string];

/** A waypoint's key: never a scene id (those are lower-case words). */
export const WAYPOINT = "\u0000";
export const isWaypoint = (key: string) => key.startsWith(WAYPOINT);

/** The refinement is for stories a person draws; a larger graph keeps the sweeps' order. */
export const MAX_REFINED_KEYS = 300;
const ROUNDS = 3;
/**
 * How much trying scenes in other places may cost (keys copied and hops counted, summed over the
 * tries): enough for a story of a few dozen scenes, and a bound on how long a large one holds the page.
 */
const MAX_WORK = 60_000;

/**
 * How many pairs of hops cross, in layers drawn in this order: two hops between the same two
 * layers cross when their ends are in opposite orders (a shared end is no crossing). Hops are
 * [left key, right key] between neighbouring layers; one in either order is read the same way.
 */
export function crossings(layers: string[][], links: Array<[string, string]>): number {
  const place = new Map<string, {layer: number; at: number}>();
  layers.forEach((layer, l) => {
    layer.forEach((key, at) => {
      place.set(key, {layer: l, at});
    });
  });
  const between = new Map<number, Array<[number, number]>>();
  for (const [a, b] of links) {
    const [p, q] = [place.get(a), place.get(b)];
    if (!p || !q || Math.abs(p.layer - q.layer) !== 1) continue;
    const [upper, lower] = p.layer < q.layer ? [p, q] : [q, p];
    between.set(upper.layer, [...(between.get(upper.layer) ?? []), [upper.at, lower.at]]);
  }
  let total = 0;
  for (const [layer, hops] of between) total += inversions(hops, layers[layer + 1]?.length ?? 0);
  return total;
}

/** Pairs (a, b), (c, d) with a < c and b > d: sorted by the first end, counted with a Fenwick tree. */
function inversions(hops: Array<[number, number]>, size: number): number {
  const sorted = [...hops].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const tree = new Array<number>(size + 1).fill(0);
  let count = 0;
  let seen = 0;
  for (const [, b] of sorted) {
    // Hops seen so far whose lower end is further down than b's cross this one.
    let atMost = 0;
    for (let i = b + 1; i > 0; i -= i & -i) atMost += tree[i] as number;
    count += seen - atMost;
    for (let i = b + 1; i <= size; i += i & -i) tree[i] = (tree[i] as number) + 1;
    seen++;
  }
  return count;
}

/** What the refinement reads over and over: each key's layer, the hops below each layer, the long exits at each scene. */
interface Drawing {
  layerOf: Map<string, number>;
  /** Hops between layer l and l + 1, as [upper key, lower key]. */
  below: Map<number, Hop[]>;
  touching: Map<string, string[][]>;
  /** Each waypoint's chain. */
  chainOf: Map<string, string[]>;
  hops: Hop[];
  /** What the tries have cost so far (see MAX_WORK). */
  work: number;
  /**
   * Crossings between two layers, by the layer arrays themselves: a try copies only the layers it
   * changes, so the rest are counted once. Emptied whenever a layer is changed in place.
   */
  counted: WeakMap<string[], WeakMap<string[], number>>;
}

/**
 * Better orders for `layers` (changed in place): rounds of long exits routed again and scenes moved
 * with theirs, each kept only when the whole drawing has fewer crossings. `chains` are the paths of
 * the exits with waypoints, left to right.
 */
export function refine(layers: string[][], chains: string[][], hops: Hop[]): void {
  const g = drawingOf(layers, chains, hops);
  let fewest = crossings(layers, hops);
  for (let round = 0; round < ROUNDS && fewest > 0; round++) {
    const before = fewest;
    for (const chain of chains) reroute(layers, chain, g);
    g.counted = new WeakMap();
    fewest = count(layers, g);
    const tangled = involved(layers, g);
    for (let l = 0; l < layers.length; l++) {
      for (const scene of [...(layers[l] as string[])]) {
        if (!tangled.has(scene) || (layers[l] as string[]).length < 2 || fewest === 0 || g.work > MAX_WORK) continue;
        const tried = bestPlace(layers, l, scene, g);
        if (tried.count < fewest) {
          layers.splice(0, layers.length, ...tried.layers);
          fewest = tried.count;
        }
      }
    }
    if (fewest >= before) break;
  }
}

function drawingOf(layers: string[][], chains: string[][], hops: Hop[]): Drawing {
  const layerOf = new Map(layers.flatMap((layer, l) => layer.map((k) => [k, l] as const)));
  const below = new Map<number, Hop[]>();
  for (const [a, b] of hops) {
    const [la, lb] = [layerOf.get(a) ?? 0, layerOf.get(b) ?? 0];
    const hop: Hop = la < lb ? [a, b] : [b, a];
    const l = Math.min(la, lb);
    below.set(l, [...(below.get(l) ?? []), hop]);
  }
  const touching = new Map<string, string[][]>();
  const chainOf = new Map<string, string[]>();
  for (const chain of chains) {
    for (const end of [chain[0], chain.at(-1)] as string[]) touching.set(end, [...(touching.get(end) ?? []), chain]);
    for (const key of chain.slice(1, -1)) chainOf.set(key, chain);
  }
  return {layerOf, below, touching, chainOf, hops, work: 0, counted: new WeakMap()};
}

/** `crossings`, counting again only between layers that are new arrays. */
function count(layers: string[][], g: Drawing): number {
  let total = 0;
  for (const [l, hops] of g.below) {
    const [upper, lower] = [layers[l] as string[], layers[l + 1] as string[]];
    const known = g.counted.get(upper) ?? new WeakMap<string[], number>();
    g.counted.set(upper, known);
    let between = known.get(lower);
    if (between === undefined) {
      const [pu, pl] = [new Map(upper.map((k, i) => [k, i])), new Map(lower.map((k, i) => [k, i]))];
      between = inversions(
        hops.map(([a, b]) => [pu.get(a) as number, pl.get(b) as number]),
        lower.length,
      );
      known.set(lower, between);
    }
    total += between;
  }
  return total;
}

/** The scenes worth moving: an end of a hop that crosses another, or of a long exit that does. */
function involved(layers: string[][], g: Drawing): Set<string> {
  const scenes = new Set<string>();
  const mark = (key: string) => {
    const chain = g.chainOf.get(key);
    for (const end of chain ? [chain[0] as string, chain.at(-1) as string] : [key]) scenes.add(end);
  };
  for (const [l, hops] of g.below) {
    const [upper, lower] = [layers[l] ?? [], layers[l + 1] ?? []];
    const at = hops.map(([a, b]) => [upper.indexOf(a), lower.indexOf(b)] as const);
    at.forEach(([a, b], i) => {
      for (let j = i + 1; j < at.length; j++) {
        const [c, d] = at[j] as readonly [number, number];
        if ((a - c) * (b - d) < 0) for (const key of [...(hops[i] as Hop), ...(hops[j] as Hop)]) mark(key);
      }
    });
  }
  return scenes;
}

/** The scene at each place in its layer, its long exits routed again: the order with fewest crossings. */
function bestPlace(layers: string[][], l: number, scene: string, g: Drawing): {layers: string[][]; count: number} {
  let best = {layers, count: Number.POSITIVE_INFINITY};
  const others = (layers[l] as string[]).filter((k) => k !== scene);
  const chains = g.touching.get(scene) ?? [];
  // Only the layers its long exits pass through change (and its own): the rest are shared.
  const changed = new Set(chains.flatMap((chain) => chain.map((key) => g.layerOf.get(key) as number)));
  for (let at = 0; at <= others.length; at++) {
    const trial = layers.map((layer, i) =>
      i === l ? others.toSpliced(at, 0, scene) : changed.has(i) ? [...layer] : layer,
    );
    for (const chain of chains) reroute(trial, chain, g);
    g.work += g.hops.length + [...changed].reduce((sum, i) => sum + (layers[i]?.length ?? 0), others.length);
    const crossed = count(trial, g);
    if (crossed < best.count) best = {layers: trial, count: crossed};
  }
  return best;
}

/**
 * A chain's waypoints taken out and put back where its hops cross the fewest others: each layer's
 * gaps are the choices, a gap's cost to the next layer's the hops between that it would cross
 * (read from a table of prefix sums), and the cheapest path through them is found layer by layer.
 */
function reroute(layers: string[][], chain: string[], g: Drawing): void {
  const ways = new Set(chain.slice(1, -1));
  const first = g.layerOf.get(chain[0] as string) as number;
  for (const key of ways) {
    const layer = layers[g.layerOf.get(key) as number] as string[];
    layer.splice(layer.indexOf(key), 1);
  }
  // A choice is a place: the end scene's own (an integer) or a gap before index g (g - 0.5).
  const choices = chain.map((key, i) =>
    i === 0 || i === chain.length - 1
      ? [(layers[first + i] as string[]).indexOf(key)]
      : Array.from({length: (layers[first + i] as string[]).length + 1}, (_, gap) => gap - 0.5),
  );
  let cost = [0];
  const from: Int32Array[] = [];
  for (let i = 1; i < chain.length; i++) {
    const crossed = crossingTable(layers, first + i - 1, g.below.get(first + i - 1) ?? [], ways);
    const [prev, here] = [choices[i - 1] as number[], choices[i] as number[]];
    const next = new Array<number>(here.length).fill(Number.POSITIVE_INFINITY);
    const came = new Int32Array(here.length);
    here.forEach((y, k) => {
      prev.forEach((x, j) => {
        const c = (cost[j] as number) + crossed(x, y);
        if (c < (next[k] as number)) [next[k], came[k]] = [c, j];
      });
    });
    cost = next;
    from.push(came);
  }
  let pick = 0;
  for (let i = chain.length - 2; i >= 1; i--) {
    pick = from[i]?.[pick] as number;
    (layers[first + i] as string[]).splice(Math.ceil(choices[i]?.[pick] as number), 0, chain[i] as string);
  }
}

/**
 * For the hops between layer `l` and the next (but the chain's own), how many a new hop from place
 * x to place y crosses: those with one end above it and the other below. O(1) a question.
 */
function crossingTable(layers: string[][], l: number, hops: Hop[], skip: Set<string>) {
  const [upper, lower] = [layers[l] as string[], layers[l + 1] as string[]];
  const [pu, pl] = [new Map(upper.map((k, i) => [k, i])), new Map(lower.map((k, i) => [k, i]))];
  const [w, h] = [upper.length, lower.length];
  // sums[a * (h + 1) + b]: hops with upper end < a and lower end < b.
  const sums = new Int32Array((w + 1) * (h + 1));
  const at = (a: number, b: number) => a * (h + 1) + b;
  for (const [x, y] of hops) {
    const [a, b] = [pu.get(x), pl.get(y)];
    if (a !== undefined && b !== undefined && !skip.has(x) && !skip.has(y)) sums[at(a + 1, b + 1)]++;
  }
  for (let a = 1; a <= w; a++)
    for (let b = 1; b <= h; b++)
      sums[at(a, b)] +=
        (sums[at(a, b - 1)] as number) + (sums[at(a - 1, b)] as number) - (sums[at(a - 1, b - 1)] as number);
  const count = (a: number, b: number) => sums[at(a, b)] as number;
  return (x: number, y: number) => {
    // Upper ends above x with lower ends below y, and upper ends below x with lower ends above y.
    const [ax, bx, ay, by] = [Math.ceil(x), Math.floor(x) + 1, Math.ceil(y), Math.floor(y) + 1];
    return count(ax, h) - count(ax, by) + (count(w, ay) - count(bx, ay));
  };
}
