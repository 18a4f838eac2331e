import type {Exit, Scene} from "../../../src/shared/api/index.js";
import {crossings, isWaypoint, MAX_REFINED_KEYS, refine, WAYPOINT} from "./story-crossings.js";

export {crossings, isWaypoint};

/**
 * A story's scenes laid out in layers (columns, the start on the left), ordered within each layer so
 * that exits cross as little as a layered drawing allows: the Sugiyama recipe, kept small.
 *
 * 1. Exits that lead back (to a scene the walk from the start is still inside) are turned round for
 *    the layout, so what is left has no cycle.
 * 2. Each scene goes one layer past the furthest scene leading to it (longest path), so every exit
 *    goes rightwards; an exit across several layers passes through a waypoint in each.
 * 3. Scenes and waypoints start in the order a walk from the start meets them (a tree drawn so has
 *    no crossing), then sweeps move each to the average position of its neighbours (barycentres)
 *    and swaps of neighbours keep whatever removes crossings; the order with fewest is kept.
 *
 * Crossings are counted as inversions (a Fenwick tree), so each pass is about linear in the exits.
 */

/** Exits in the order they are read and walked. */
export const EXITS: readonly Exit[] = ["left", "right", "end"];

/** One arrow: a scene's exits (one or more) that lead to the same scene. */
export interface LayoutEdge {
  from: string;
  to: string;
  exits: Exit[];
  /** Drawn right to left: it leads back towards the start. */
  back: boolean;
  /** The keys it passes through, left to right: its two scenes and the waypoints between. */
  path: string[];
}

export interface StoryLayout {
  /** Keys per layer, top to bottom: scene ids, and waypoints (see `isWaypoint`). */
  layers: string[][];
  layerOf: Map<string, number>;
  edges: LayoutEdge[];
  /** Scenes with an exit to themselves (drawn as a loop, not laid out). */
  loops: Array<{scene: string; exits: Exit[]}>;
  crossings: number;
}

/** Past this many keys the order is left as walked: the sweeps would hold the page too long. */
const MAX_ORDERED_KEYS = 2000;
const SWEEPS = 12;

export function layoutStory(scenes: Pick<Scene, "id" | "exits">[], start: string): StoryLayout {
  const {edges, loops} = arrows(scenes);
  const ids = new Set(scenes.map((s) => s.id));
  const order = [start, ...ids].filter((id, i) => ids.has(id) && (i === 0 || id !== start));
  markBackEdges(order, edges);
  const layerOf = layerScenes(order, edges);
  const waypoints = addWaypoints(edges, layerOf);
  const links = segments(edges);
  // Walked taking the left exit first, and again the track's end first: a menu's exits back and its
  // choices go on opposite sides of it, and which side suits a story shows only in the result.
  const walks = [false, true].map((endFirst) => walkOrder(order, edges, layerOf, endFirst));
  const chains = edges.filter((e) => e.path.length > 2).map((e) => e.path);
  const ordered = (walk: string[][]) => {
    const layers = reduceCrossings(walk, links);
    if (order.length + waypoints <= MAX_REFINED_KEYS) refine(layers, chains, links);
    return layers;
  };
  let best = walks[0] as string[][];
  if (order.length + waypoints <= MAX_ORDERED_KEYS)
    for (const walk of walks) {
      const layers = ordered(walk);
      if (walk === walks[0] || crossings(layers, links) < crossings(best, links)) best = layers;
      if (crossings(best, links) === 0) break;
    }
  return {layers: best, layerOf, edges, loops, crossings: crossings(best, links)};
}

/** A scene's exits merged per destination (two buttons to one scene are one arrow). */
function arrows(scenes: Pick<Scene, "id" | "exits">[]) {
  const ids = new Set(scenes.map((s) => s.id));
  const edges: LayoutEdge[] = [];
  const loops: StoryLayout["loops"] = [];
  for (const scene of scenes) {
    const byTarget = new Map<string, Exit[]>();
    for (const exit of EXITS) {
      const to = Object.hasOwn(scene.exits, exit) ? scene.exits[exit] : undefined;
      if (to && ids.has(to)) byTarget.set(to, [...(byTarget.get(to) ?? []), exit]);
    }
    for (const [to, exits] of byTarget) {
      if (to === scene.id) loops.push({scene: to, exits});
      else edges.push({from: scene.id, to, exits, back: false, path: []});
    }
  }
  return {edges, loops};
}

function outgoing(edges: LayoutEdge[]): Map<string, LayoutEdge[]> {
  const out = new Map<string, LayoutEdge[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  return out;
}

/** Depth-first from the start (then from any scene not reached): an edge into the walk's own trail leads back. */
function markBackEdges(order: string[], edges: LayoutEdge[]): void {
  const out = outgoing(edges);
  const state = new Map<string, "open" | "done">();
  for (const root of order) {
    if (state.has(root)) continue;
    const stack: Array<{id: string; next: number}> = [{id: root, next: 0}];
    state.set(root, "open");
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as {id: string; next: number};
      const edge = out.get(top.id)?.[top.next++];
      if (!edge) {
        state.set(top.id, "done");
        stack.pop();
      } else if (state.get(edge.to) === "open") edge.back = true;
      else if (!state.has(edge.to)) {
        state.set(edge.to, "open");
        stack.push({id: edge.to, next: 0});
      }
    }
  }
}

/** Longest path from the sources, over the edges as laid out (back edges turned round). */
function layerScenes(order: string[], edges: LayoutEdge[]): Map<string, number> {
  const incoming = new Map(order.map((id) => [id, 0]));
  const next = new Map<string, string[]>();
  for (const e of edges) {
    const [a, b] = e.back ? [e.to, e.from] : [e.from, e.to];
    incoming.set(b, (incoming.get(b) ?? 0) + 1);
    next.set(a, [...(next.get(a) ?? []), b]);
  }
  const layerOf = new Map(order.map((id) => [id, 0]));
  const ready = order.filter((id) => incoming.get(id) === 0);
  for (let i = 0; i < ready.length; i++) {
    const id = ready[i] as string;
    for (const to of next.get(id) ?? []) {
      layerOf.set(to, Math.max(layerOf.get(to) ?? 0, (layerOf.get(id) ?? 0) + 1));
      const left = (incoming.get(to) ?? 0) - 1;
      incoming.set(to, left);
      if (left === 0) ready.push(to);
    }
  }
  return layerOf;
}

/** Each edge's path, left to right, with a waypoint in every layer it crosses: how many were added. */
function addWaypoints(edges: LayoutEdge[], layerOf: Map<string, number>): number {
  let count = 0;
  for (const e of edges) {
    const [a, b] = e.back ? [e.to, e.from] : [e.from, e.to];
    const [la, lb] = [layerOf.get(a) ?? 0, layerOf.get(b) ?? 0];
    e.path = [a];
    for (let layer = la + 1; layer < lb; layer++) {
      const key = `${WAYPOINT}${count++}`;
      layerOf.set(key, layer);
      e.path.push(key);
    }
    e.path.push(b);
  }
  return count;
}

/** Layers in the order a depth-first walk along the drawn paths meets each key. */
function walkOrder(order: string[], edges: LayoutEdge[], layerOf: Map<string, number>, endFirst: boolean) {
  const next = new Map<string, string[]>();
  for (const e of edges)
    for (let i = 0; i + 1 < e.path.length; i++)
      next.set(e.path[i] as string, [...(next.get(e.path[i] as string) ?? []), e.path[i + 1] as string]);
  const layers = Array.from({length: Math.max(0, ...layerOf.values()) + 1}, (): string[] => []);
  const seen = new Set<string>();
  for (const root of order) {
    const stack = [root];
    while (stack.length > 0) {
      const key = stack.pop() as string;
      if (seen.has(key)) continue;
      seen.add(key);
      layers[layerOf.get(key) ?? 0]?.push(key);
      const onward = next.get(key) ?? [];
      stack.push(...(endFirst ? onward : [...onward].reverse()));
    }
  }
  return layers;
}

/** Every hop between neighbouring layers: [left key, right key]. */
function segments(edges: LayoutEdge[]): Array<[string, string]> {
  return edges.flatMap((e) => e.path.slice(1).map((to, i) => [e.path[i], to] as [string, string]));
}

/** Barycentre sweeps down and up, keeping the order with fewest crossings; then neighbour swaps. */
function reduceCrossings(start: string[][], links: Array<[string, string]>): string[][] {
  const right = neighbours(links, 0);
  const left = neighbours(links, 1);
  let best = start;
  let fewest = crossings(best, links);
  const layers = start.map((l) => [...l]);
  for (let sweep = 0; sweep < SWEEPS && fewest > 0; sweep++) {
    const down = sweep % 2 === 0;
    for (let n = 1; n < layers.length; n++) {
      const i = down ? n : layers.length - 1 - n;
      const fixed = layers[down ? i - 1 : i + 1] as string[];
      layers[i] = byBarycentre(layers[i] as string[], fixed, down ? left : right);
    }
    // Carried on from where it is (a sweep may pass through worse orders to a better one).
    const count = crossings(layers, links);
    if (count < fewest) {
      fewest = count;
      best = layers.map((l) => [...l]);
    }
  }
  if (fewest > 0) swapNeighbours(best, left, right);
  return best;
}

/** For each key, its neighbours on one side (`side` 0: the hop's right end, from its left end). */
function neighbours(links: Array<[string, string]>, side: 0 | 1): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const link of links) {
    const [from, to] = side === 0 ? link : [link[1], link[0]];
    map.set(from, [...(map.get(from) ?? []), to]);
  }
  return map;
}

/** Sorted by the mean position of each key's neighbours in `fixed`; a key with none keeps its place. */
function byBarycentre(layer: string[], fixed: string[], near: Map<string, string[]>): string[] {
  const at = new Map(fixed.map((k, i) => [k, i]));
  const scale = fixed.length / Math.max(1, layer.length);
  const value = layer.map((key, i) => {
    const ns = (near.get(key) ?? []).map((n) => at.get(n)).filter((p): p is number => p !== undefined);
    return ns.length === 0 ? i * scale : ns.reduce((a, b) => a + b, 0) / ns.length;
  });
  return layer
    .map((key, i) => ({key, v: value[i] as number, i}))
    .sort((a, b) => a.v - b.v || a.i - b.i)
    .map((x) => x.key);
}

/** Swap neighbours in a layer while it removes crossings with both adjacent layers. */
function swapNeighbours(layers: string[][], left: Map<string, string[]>, right: Map<string, string[]>): void {
  for (let round = 0, improved = true; improved && round < 8; round++) {
    improved = false;
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i] as string[];
      const pos = (l: number) => new Map((layers[l] ?? []).map((k, j) => [k, j]));
      const [before, after] = [pos(i - 1), pos(i + 1)];
      const cost = (a: string, b: string) =>
        pairCrossings(left.get(a), left.get(b), before) + pairCrossings(right.get(a), right.get(b), after);
      for (let j = 0; j + 1 < layer.length; j++) {
        const [a, b] = [layer[j] as string, layer[j + 1] as string];
        if (cost(b, a) < cost(a, b)) {
          [layer[j], layer[j + 1]] = [b, a];
          improved = true;
        }
      }
    }
  }
}

/** Crossings between the hops of `a` and of `b` (a above b) into a layer whose positions are `at`. */
function pairCrossings(a: string[] | undefined, b: string[] | undefined, at: Map<string, number>): number {
  let count = 0;
  for (const x of a ?? []) for (const y of b ?? []) if ((at.get(x) ?? 0) > (at.get(y) ?? 0)) count++;
  return count;
}
