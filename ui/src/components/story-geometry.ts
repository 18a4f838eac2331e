import type {Exit} from "../../../src/shared/api/index.js";
import {isWaypoint, type StoryLayout} from "./story-layout.js";

/** A scene's box, and the room its title gets (two lines, then "…"; the full title is its tooltip). */
export const NODE_W = 150;
export const NODE_H = 58;
export const TITLE_CHARS = 19;
const GAP_X = 70;
const GAP_Y = 18;
/** A waypoint's slot in its column: an exit passing a layer by. */
const WAY_H = 8;
const MARGIN = 5;
/** Room above the boxes for a scene's exit back to itself. */
const LOOP_ROOM = 26;

export interface PlacedScene {
  id: string;
  x: number;
  y: number;
}

export interface DrawnEdge {
  from: string;
  to: string;
  exits: Exit[];
  back: boolean;
  d: string;
  /** Where its buttons are written: beside the scene it leaves. */
  label: {x: number; y: number; anchor: "middle" | "end"};
}

export interface StoryDrawing {
  width: number;
  height: number;
  scenes: PlacedScene[];
  edges: DrawnEdge[];
}

/**
 * Coordinates for a layout: a column per layer, each column centred on the tallest, and each edge
 * a curve from hop to hop. A scene's exits leave its right side, and arrive on the left side, at
 * points spread in the order of the scenes they come from or go to: curves between two columns
 * whose ends are in the same order never cross, so the drawing has exactly the layout's crossings.
 */
export function drawLayout(layout: StoryLayout): StoryDrawing {
  const top = MARGIN + (layout.loops.length > 0 ? LOOP_ROOM : 0);
  const {y, height} = rows(layout.layers, top);
  const x = (key: string) => MARGIN + (layout.layerOf.get(key) ?? 0) * (NODE_W + GAP_X);
  const ports = portsOf(layout, y);
  const edges: DrawnEdge[] = layout.edges.map((edge, index) => {
    let px = x(edge.path[0] as string) + NODE_W;
    let py = ports.out.get(index) as number;
    let d = `M${px},${py}`;
    const middles: Array<{x: number; y: number}> = [];
    edge.path.slice(1).forEach((key, hop) => {
      const qx = x(key);
      const qy = isWaypoint(key) ? (y.get(key) as number) : (ports.in.get(index) as number);
      const mx = (px + qx) / 2;
      d += ` C${mx},${py} ${mx},${qy} ${qx},${qy}`;
      middles.push({x: mx, y: (py + qy) / 2});
      [px, py] = [qx, qy];
      if (isWaypoint(key) && hop + 2 < edge.path.length) {
        px = qx + NODE_W;
        d += ` L${px},${py}`;
      }
    });
    // Its buttons halfway along the hop that leaves the scene (clear of the boxes and arrowheads).
    const middle = (edge.back ? middles.at(-1) : middles[0]) as {x: number; y: number};
    const label: DrawnEdge["label"] = {x: middle.x, y: Math.max(12, middle.y - 4), anchor: "middle"};
    return {from: edge.from, to: edge.to, exits: edge.exits, back: edge.back, d, label};
  });
  // A scene's exit to itself: a small loop over its top right corner.
  for (const {scene, exits} of layout.loops) {
    const [lx, ly] = [x(scene) + NODE_W - 24, y.get(scene) as number];
    const d = `M${lx},${ly} C${lx},${ly - LOOP_ROOM + 4} ${lx + 22},${ly - LOOP_ROOM + 4} ${lx + 18},${ly}`;
    edges.push({from: scene, to: scene, exits, back: false, d, label: {x: lx - 4, y: ly - 8, anchor: "end"}});
  }
  const scenes = layout.layers.flat().filter((k) => !isWaypoint(k));
  return {
    width: MARGIN * 2 + layout.layers.length * (NODE_W + GAP_X) - GAP_X,
    height: height + MARGIN,
    scenes: scenes.map((id) => ({id, x: x(id), y: y.get(id) as number})),
    edges,
  };
}

/** Each key's y (a box's top, a waypoint's middle), columns centred on the tallest. */
function rows(layers: string[][], top: number): {y: Map<string, number>; height: number} {
  const size = (key: string) => (isWaypoint(key) ? WAY_H : NODE_H);
  const heights = layers.map((l) => l.reduce((sum, k) => sum + size(k), 0) + GAP_Y * Math.max(0, l.length - 1));
  const tallest = Math.max(0, ...heights);
  const y = new Map<string, number>();
  layers.forEach((layer, l) => {
    let at = top + (tallest - (heights[l] as number)) / 2;
    for (const key of layer) {
      y.set(key, isWaypoint(key) ? at + WAY_H / 2 : at);
      at += size(key) + GAP_Y;
    }
  });
  return {y, height: top + tallest};
}

/** Per edge (by index): the y it leaves its first scene at, and arrives at its last. */
function portsOf(layout: StoryLayout, y: Map<string, number>) {
  const position = new Map(layout.layers.flatMap((layer) => layer.map((k, i) => [k, i] as const)));
  const out = new Map<number, number>();
  const into = new Map<number, number>();
  const spread = (ends: Map<string, number[]>, neighbour: (edge: number) => string, into: Map<number, number>) => {
    for (const [key, edges] of ends) {
      const sorted = edges.toSorted(
        (a, b) => (position.get(neighbour(a)) ?? 0) - (position.get(neighbour(b)) ?? 0) || a - b,
      );
      sorted.forEach((edge, i) => {
        into.set(edge, (y.get(key) as number) + (NODE_H * (i + 1)) / (sorted.length + 1));
      });
    }
  };
  const leaving = new Map<string, number[]>();
  const arriving = new Map<string, number[]>();
  layout.edges.forEach((edge, i) => {
    leaving.set(edge.path[0] as string, [...(leaving.get(edge.path[0] as string) ?? []), i]);
    arriving.set(edge.path.at(-1) as string, [...(arriving.get(edge.path.at(-1) as string) ?? []), i]);
  });
  spread(leaving, (i) => layout.edges[i]?.path[1] as string, out);
  spread(arriving, (i) => layout.edges[i]?.path.at(-2) as string, into);
  return {out, in: into};
}

/**
 * A scene's title in up to two lines of `chars` characters, broken between words where it can; a
 * longer title ends in "…" (the box's tooltip and the list of scenes have it whole).
 */
export function titleLines(title: string, chars = TITLE_CHARS): string[] {
  const lines: string[] = [];
  let rest = title.trim().replace(/\s+/g, " ");
  while (rest.length > 0 && lines.length < 2) {
    if (rest.length <= chars) {
      lines.push(rest);
      rest = "";
      break;
    }
    const space = rest.lastIndexOf(" ", chars);
    const cut = space > chars / 2 ? space : chars;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) {
    const last = lines.pop() as string;
    lines.push(`${last.slice(0, chars - 1).trimEnd()}…`);
  }
  return lines;
}
