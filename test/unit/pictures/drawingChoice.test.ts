import {execFileSync} from "node:child_process";
import {readFileSync} from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {describe, expect, it} from "vitest";
import {chooseDrawings, drawingSvg, drawingUrl} from "../../../src/pictures/drawingChoice.js";
import {DRAWINGS} from "../../../src/pictures/drawings.js";
import type {ShelfKind} from "../../../src/shared/api/shelf.js";
import {readsInLinearTime} from "../../helpers/linearTime.js";
import {tempDir} from "../../helpers/tmp.js";

const story = (title: string) => ({title, kind: "story" as ShelfKind});
const drawingOf = (title: string) => chooseDrawings([story(title)])[0]?.drawing;
const apart = (a: number, b: number) => Math.min(Math.abs(a - b), 360 - Math.abs(a - b));
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const KINDS: ShelfKind[] = ["card", "group", "story", "stream", "station", "podcast", "item", "story_radio"];

describe("a drawing for a word of the title", () => {
  it("is found by an English word, the first in the title that names one", () => {
    expect(drawingOf("The Moon Fox")).toBe("moon");
    expect(drawingOf("Sleepy Dragon")).toBe("dinosaur");
    expect(drawingOf("The Dragon Who Slept")).toBe("dinosaur");
    expect(drawingOf("OWL at NIGHT")).toBe("owl");
    expect(drawingOf("teddy-bear's picnic")).toBe("teddy-bear");
  });

  it("is found by a German word, its umlauts folded", () => {
    expect(drawingOf("Der kleine Drache")).toBe("dinosaur");
    expect(drawingOf("Der Bär und der Hase")).toBe("teddy-bear");
    expect(drawingOf("Die kleine Raupe Schmetterling")).toBe("butterfly");
    expect(drawingOf("Gute Nacht, Mäuschen")).toBe("night");
    expect(drawingOf("Ein Schlüssel")).toBe("key");
    expect(drawingOf("Ein Ei")).toBe("egg");
  });

  it("is found by a plural, English or German", () => {
    expect(drawingOf("Die Bären")).toBe("teddy-bear");
    expect(drawingOf("Drachen")).toBe("dinosaur");
    expect(drawingOf("Zehn kleine Mäuse")).toBe("mouse");
    expect(drawingOf("Sieben Katzen")).toBe("cat");
    expect(drawingOf("Three Little Pigs")).toBe("pig");
    expect(drawingOf("Lots of Bunnies")).toBe("rabbit");
    expect(drawingOf("Busy Buses")).toBe("bus");
  });

  it("gives the next word's drawing when the first word's is taken", () => {
    const [moonFox, goodnightMoon, moonCat] = chooseDrawings([
      story("Moon Fox"),
      story("Goodnight Moon"),
      story("Moon Cat"),
    ]);
    expect(moonFox?.drawing).toBe("moon");
    expect(goodnightMoon?.drawing).toBe("night");
    expect(moonCat?.drawing).toBe("cat");
  });

  it("gives two titles naming only the same word different drawings", () => {
    const [first, second] = chooseDrawings([story("The Moon"), story("Der Mond")]);
    expect(first?.drawing).toBe("moon");
    expect(second?.drawing).not.toBe("moon");
  });
});

describe("a drawing the title picks", () => {
  it("is the same for the same title, call after call", () => {
    const shelf = [story("Quiet Quokka"), story("Zzz"), {title: "Song 7", kind: "card" as ShelfKind}];
    expect(chooseDrawings(shelf)).toEqual(chooseDrawings(shelf));
    expect(drawingOf("Quiet Quokka")).toBe(drawingOf("Quiet Quokka"));
  });

  it("comes from the drawings, whatever words an object has of its own", () => {
    const names = new Set(DRAWINGS.map((d) => d.name));
    for (const title of ["__proto__", "constructor", "toString hasOwnProperty", "", "!!!"])
      expect(names.has(drawingOf(title) ?? "")).toBe(true);
  });

  it("is story radio's radio tower for story radio, and for nothing else", () => {
    expect(chooseDrawings([{title: "Radio Tower", kind: "story_radio"}])).toEqual([
      {drawing: "radio-tower", hue: expect.any(Number)},
    ]);
    const many = Array.from({length: 100}, (_, i) => story(`Radio ${i}`));
    expect(chooseDrawings(many).map((c) => c.drawing)).not.toContain("radio-tower");
  });
});

describe("a shelf", () => {
  const songs = Array.from({length: 100}, (_, i) => story(`Song ${i + 1}`));

  it("of a hundred items has a hundred drawings, neighbours' hues 40° apart", () => {
    const chosen = chooseDrawings(songs);
    expect(chosen).toHaveLength(100);
    expect(chosen[0]?.drawing).toBe("music");
    expect(new Set(chosen.map((c) => c.drawing)).size).toBe(100);
    for (let i = 1; i < chosen.length; i++)
      expect(apart(chosen[i - 1]?.hue ?? 0, chosen[i]?.hue ?? 0)).toBeGreaterThanOrEqual(40);
  });

  it("with more items than drawings shows a drawing again only on a hue 60° from its others", () => {
    // Every drawing but story radio's three times over.
    const chosen = chooseDrawings(Array.from({length: (DRAWINGS.length - 1) * 3}, (_, i) => story(`Song ${i}`)));
    const byDrawing = new Map<string, typeof chosen>();
    for (const c of chosen) byDrawing.set(c.drawing, [...(byDrawing.get(c.drawing) ?? []), c]);
    for (const [drawing, uses] of byDrawing) {
      expect(uses.length, drawing).toBe(3);
      for (const a of uses) for (const b of uses) if (a !== b) expect(apart(a.hue, b.hue)).toBeGreaterThanOrEqual(60);
    }
    expect(byDrawing.size).toBe(DRAWINGS.length - 1);
    expect(byDrawing.has("radio-tower")).toBe(false);
  });

  it("reads titles in time linear in their length", () => {
    const title = (n: number) => [story(`${"äbcies-".repeat(n / 14)}${"q".repeat(n / 2)}ies`)];
    expect(readsInLinearTime(title, chooseDrawings, 200_000)).toHaveLength(1);
  });
});

describe("a drawing's cover", () => {
  it("is served for the file its URL names", () => {
    const [choice] = chooseDrawings([story("Die Eule")]);
    expect(choice).toBeDefined();
    if (!choice) return;
    const url = drawingUrl(choice);
    expect(url).toBe(`api/shelf/covers/owl-${choice.hue}.svg`);
    const svg = drawingSvg(url.slice("api/shelf/covers/".length));
    expect(svg).toContain(`fill="hsl(${choice.hue} 70% 78%)"`);
    expect(svg).toContain(`fill="hsl(${choice.hue} 60% 28%)" d="${DRAWINGS.find((d) => d.name === "owl")?.path}"`);
  });

  it("is none for a file name that names no drawing, or a kind's", () => {
    const refused = ["../x.svg", "owl-360.svg", "constructor-10.svg", "__proto__-1.svg", "owl-1.svg.png"];
    for (const file of [...refused, "owl-01.svg", "owl-1.SVG", `${"a".repeat(100_000)}-1.svg`, "owl.svg"])
      expect(drawingSvg(file), file).toBeUndefined();
    for (const kind of KINDS) expect(drawingSvg(`${kind}-120.svg`), kind).toBeUndefined();
    expect(drawingSvg("owl-359.svg")).toContain("hsl(359 70% 78%)");
    expect(drawingSvg("teddy-bear-0.svg")).toContain("hsl(0 70% 78%)");
  });
});

describe("the drawings", () => {
  it("are over a hundred and thirty, named in kebab-case, 24 letters at most", () => {
    expect(DRAWINGS.length).toBeGreaterThanOrEqual(130);
    for (const {name} of DRAWINGS) expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(DRAWINGS.filter((d) => d.name.length > 24)).toEqual([]);
  });

  it("are what scripts/make-drawings.mjs writes now", async () => {
    const out = path.join(await tempDir(), "drawings.ts");
    execFileSync(process.execPath, [path.join(ROOT, "scripts/make-drawings.mjs"), out], {stdio: "pipe"});
    expect(readFileSync(path.join(ROOT, "src/pictures/drawings.ts"), "utf8")).toBe(readFileSync(out, "utf8"));
  });
});
