import {describe, expect, it} from "vitest";
import type {CatalogueEntry} from "../../../src/playing/types.js";
import {english} from "../../../src/voice/languages/en.js";
import {TitleIndex} from "../../../src/voice/titleIndex.js";
import {whatIsMeant} from "../../../src/voice/whatIsMeant.js";

/** A big family's cards: 2,000 titles, as voice reads them. */
const library = (rename?: {at: number; title: string}): CatalogueEntry[] =>
  Array.from({length: 2000}, (_, i) => ({
    kind: "card",
    id: `c${i}`,
    title: i === rename?.at ? rename.title : `Story number ${i}`,
  }));

describe("titles worked out ahead of a request", () => {
  it("are worked out a slice at a time, the event loop running between, and then all taken as they are", async () => {
    const titles = new TitleIndex();
    const all = library();
    // Something else the loop has to do meanwhile: it runs before the 2,000 titles are all worked out.
    let ranDuring = false;
    const prepared = titles.prepare(all, english).then(() => "prepared");
    setImmediate(() => {
      ranDuring = titles.built < all.length;
    });
    expect(await prepared).toBe("prepared");
    expect(ranDuring).toBe(true);
    expect(titles.built).toBe(all.length);
    // Each as one worked out on the spot would be, none worked out again.
    const kept = titles.titles(all, english);
    const fresh = new TitleIndex().titles(all, english);
    expect(kept.map((t) => [t.title, t.key, t.words])).toEqual(fresh.map((t) => [t.title, t.key, t.words]));
    expect(titles.built).toBe(all.length);
    // The same list again: the same titles, found by the list.
    expect(titles.titles(all, english)).toBe(kept);
  });

  it("work out only a card renamed, and find it by its new name at once", async () => {
    const titles = new TitleIndex();
    await titles.prepare(library(), english);
    titles.titles(library(), english);
    const renamed = library({at: 1200, title: "The Gruffalo's Child"});
    await titles.prepare(renamed, english);
    expect(titles.built).toBe(2001);
    const meant = whatIsMeant("the gruffalo's child", english, renamed, titles);
    expect(meant).toEqual({kind: "play", choice: {kind: "card", id: "c1200", title: "The Gruffalo's Child"}});
    expect(titles.built).toBe(2001);
    // The old name is gone with it.
    expect(whatIsMeant("story number 1200", english, renamed, titles).kind).not.toBe("play");
  });
});
