import {describe, expect, it} from "vitest";
import type {Exit, Scene} from "../../../src/shared/api/index.js";
import {drawLayout, titleLines} from "../../../ui/src/components/story-geometry.js";
import {crossings, isWaypoint, layoutStory} from "../../../ui/src/components/story-layout.js";

type Shape = Pick<Scene, "id" | "exits">;
const scene = (id: string, exits: Partial<Record<Exit, string>> = {}): Shape => ({id, exits});

/** Every hop of every edge, as the layout draws it. */
const hopsOf = (layout: ReturnType<typeof layoutStory>) =>
  layout.edges.flatMap((e) => e.path.slice(1).map((to, i) => [e.path[i], to] as [string, string]));

type Place = {layer: number; at: number};

/** Crossings by looking at every pair of hops: what `crossings` must agree with. */
function bruteForce(layers: string[][], hops: Array<[string, string]>): number {
  const place = new Map(layers.flatMap((l, layer) => l.map((k, at) => [k, {layer, at}] as const)));
  // Each hop from its upper layer to its lower, whichever way it was given.
  const ends = hops.map((hop) => (hop.map((k) => place.get(k)) as Place[]).toSorted((p, q) => p.layer - q.layer));
  let count = 0;
  for (let i = 0; i < ends.length; i++)
    for (let j = i + 1; j < ends.length; j++) {
      const [a, b] = ends[i] as [Place, Place];
      const [c, d] = ends[j] as [Place, Place];
      if (a.layer !== c.layer || b.layer !== d.layer) continue;
      if ((a.at - c.at) * (b.at - d.at) < 0) count++;
    }
  return count;
}

/**
 * A Twine passage with five links, as the import makes it a spoken menu (src/stories/import/twine.ts):
 * the passage's scene reads choice 1, each choice scene's left takes its choice, right reads the next
 * (the last goes to a second "choice 1" scene), the track's end reads the menu again; every path ends
 * in bed. Twelve scenes.
 */
const MENU: Shape[] = [
  scene("bank", {left: "reeds", right: "bank-choice-2", end: "bank-choice-1"}),
  scene("bank-choice-2", {left: "island", right: "bank-choice-3", end: "bank-choice-1"}),
  scene("bank-choice-3", {left: "boat", right: "bank-choice-4", end: "bank-choice-1"}),
  scene("bank-choice-4", {left: "hill", right: "bank-choice-5", end: "bank-choice-1"}),
  scene("bank-choice-5", {left: "mill", right: "bank-choice-1", end: "bank-choice-1"}),
  scene("bank-choice-1", {left: "reeds", right: "bank-choice-2"}),
  scene("reeds", {left: "bed"}),
  scene("island", {left: "bed"}),
  scene("boat", {left: "bed"}),
  scene("hill", {left: "bed"}),
  scene("mill", {left: "bed"}),
  scene("bed"),
];

/** A chain of n scenes, each going back to the one before too (previous = left, as a linear card does). */
const chain = (n: number) =>
  Array.from({length: n}, (_, i) =>
    scene(`s${i}`, {...(i > 0 ? {left: `s${i - 1}`} : {}), ...(i + 1 < n ? {right: `s${i + 1}`} : {})}),
  );

/** A full binary tree of n scenes (left and right children), each leaf ending at `leaves` (or the story's end). */
const tree = (n: number, leaves?: string) => [
  ...Array.from({length: n}, (_, i) => {
    const [l, r] = [2 * i + 1, 2 * i + 2];
    return scene(`t${i}`, l < n ? {left: `t${l}`, ...(r < n ? {right: `t${r}`} : {})} : leaves ? {end: leaves} : {});
  }),
  ...(leaves ? [scene(leaves)] : []),
];

describe("the story graph's layered layout", () => {
  it.each([
    ["a 12-scene menu story", MENU, "bank"],
    ["a chain of 12 scenes with exits back", chain(12), "s0"],
    ["a tree of 15 scenes", tree(15), "t0"],
    ["a tree of 11 scenes whose leaves all lead home", tree(11, "home"), "t0"],
  ])("lays out %s with no crossing", (_, scenes, start) => {
    const layout = layoutStory(scenes, start);
    expect(layout.crossings).toBe(0);
    expect(bruteForce(layout.layers, hopsOf(layout))).toBe(0);
    // Every scene drawn once; the start alone in the first column.
    expect(
      layout.layers
        .flat()
        .filter((k) => !isWaypoint(k))
        .toSorted(),
    ).toEqual(scenes.map((s) => s.id).toSorted());
    expect(layout.layers[0]).toEqual([start]);
  });

  it("runs every edge rightwards through one waypoint per layer it passes, the ones leading back turned round", () => {
    const layout = layoutStory(MENU, "bank");
    for (const edge of layout.edges) {
      const layers = edge.path.map((k) => layout.layerOf.get(k) as number);
      expect(layers).toEqual(layers.map((_, i) => (layers[0] as number) + i));
      expect(edge.path.slice(1, -1).every(isWaypoint)).toBe(true);
      expect([edge.path[0], edge.path.at(-1)]).toEqual(edge.back ? [edge.to, edge.from] : [edge.from, edge.to]);
    }
    // Two buttons to the same scene are one arrow; the second "choice 1" leads back to choice 2.
    expect(layout.edges.find((e) => e.from === "bank-choice-5" && e.to === "bank-choice-1")?.exits).toEqual([
      "right",
      "end",
    ]);
    expect(layout.edges.find((e) => e.from === "bank-choice-1" && e.to === "bank-choice-2")?.back).toBe(true);
  });

  it("counts crossings as a look at every pair of hops does, in any order of the layers", () => {
    // Random layered graphs in shuffled orders, and the complete 3-by-3 (9 crossings in any order).
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 50; round++) {
      const layers = Array.from({length: 2 + random(4)}, (_, l) =>
        Array.from({length: 1 + random(6)}, (_, i) => `${l}.${i}`),
      );
      const hops: Array<[string, string]> = [];
      for (let l = 0; l + 1 < layers.length; l++)
        for (let h = random(12); h > 0; h--) {
          const a = layers[l]?.[random(layers[l]?.length ?? 1)] as string;
          const b = layers[l + 1]?.[random(layers[l + 1]?.length ?? 1)] as string;
          hops.push(random(2) ? [a, b] : [b, a]);
        }
      for (const layer of layers) layer.sort(() => random(3) - 1);
      expect(crossings(layers, hops)).toBe(bruteForce(layers, hops));
    }
    const k33 = [["a"], ["b0", "b1", "b2"], ["c0", "c1", "c2"]];
    const all = k33[1]?.flatMap((b) => k33[2]?.map((c) => [b, c] as [string, string]) ?? []) ?? [];
    expect(crossings(k33, all)).toBe(9);
  });

  it("leaves fewer crossings than the walk's own order where some cannot be avoided", () => {
    // Each of a, b, c leads to both x and y, and x and y both back to the start: crossings remain.
    const tangle = [
      scene("start", {left: "a", right: "b", end: "c"}),
      scene("a", {left: "y", right: "x"}),
      scene("b", {left: "x", right: "y"}),
      scene("c", {left: "y", right: "x"}),
      scene("x", {end: "start"}),
      scene("y", {end: "start"}),
    ];
    const layout = layoutStory(tangle, "start");
    expect(layout.crossings).toBe(bruteForce(layout.layers, hopsOf(layout)));
    expect(layout.crossings).toBeGreaterThan(0);
    expect(layout.crossings).toBeLessThanOrEqual(4);
  });

  it("lays out a story of 99 scenes with exits forward and back: every scene once, its count of crossings true", () => {
    let seed = 5;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const n = 99;
    const story = Array.from({length: n}, (_, i) =>
      scene(
        `n${i}`,
        i === n - 1
          ? {}
          : {
              left: `n${Math.min(n - 1, i + 1 + random(3))}`,
              right: `n${Math.min(n - 1, i + 1 + random(4))}`,
              ...(random(6) === 0 ? {end: `n${Math.max(0, i - 1 - random(5))}`} : {}),
            },
      ),
    );
    const layout = layoutStory(story, "n0");
    expect(layout.layers.flat().filter((k) => !isWaypoint(k))).toHaveLength(n);
    expect(layout.crossings).toBe(bruteForce(layout.layers, hopsOf(layout)));
    // What the sweeps and moves leave (16 today; the order the walk meets the scenes in leaves 77).
    expect(layout.crossings).toBeLessThan(40);
  });

  it("draws a scene's exit to itself as a loop, and a story of one scene", () => {
    const layout = layoutStory([scene("hall", {left: "hall", end: "stop"})], "hall");
    expect(layout.loops).toEqual([{scene: "hall", exits: ["left"]}]);
    const drawing = drawLayout(layout);
    expect(drawing.scenes).toHaveLength(1);
    expect(drawing.edges.map((e) => [e.from, e.to, e.exits])).toEqual([["hall", "hall", ["left"]]]);
  });

  it("places each column's boxes apart and every curve inside the drawing", () => {
    const drawing = drawLayout(layoutStory(MENU, "bank"));
    const boxes = drawing.scenes.toSorted((a, b) => a.x - b.x || a.y - b.y);
    for (let i = 1; i < boxes.length; i++) {
      const [p, q] = [boxes[i - 1], boxes[i]] as [{x: number; y: number}, {x: number; y: number}];
      if (p.x === q.x) expect(q.y - p.y).toBeGreaterThanOrEqual(58);
    }
    for (const e of drawing.edges)
      for (const [x, y] of (e.d.match(/-?[\d.]+,-?[\d.]+/g) ?? []).map((pt) => pt.split(",").map(Number)))
        expect(
          [x, y].every((v, i) => (v as number) >= 0 && (v as number) <= (i ? drawing.height : drawing.width)),
        ).toBe(true);
  });
});

describe("a scene's title in its box", () => {
  it("breaks between words onto two lines, and ends a longer one in '…'", () => {
    expect(titleLines("Bank")).toEqual(["Bank"]);
    expect(titleLines("The bridge over the river")).toEqual(["The bridge over the", "river"]);
    expect(titleLines("Gate: choice 4 of the long menu at the end")).toEqual([
      "Gate: choice 4 of",
      "the long menu at…",
    ]);
    expect(titleLines("Supercalifragilisticexpialidocious")).toEqual(["Supercalifragilisti", "cexpialidocious"]);
  });
});
