import {describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {CardCatalog} from "../../../src/yoto/cardCatalog.js";

const log = new Logger({level: "error", sink: () => undefined});

describe("the family's cards read again", () => {
  it("are the list as read before while nothing in it changed, and a renamed card is the new list at once", async () => {
    let mine = [
      {cardId: "abc12", title: "The Gruffalo"},
      {cardId: "def34", title: "Songs"},
    ];
    const library = [{cardId: "ghi56", title: "Bedtime"}];
    // Every read is old at once: `list(true)` reads Yoto again each time.
    const catalog = new CardCatalog({
      source: {myCardTitles: async () => mine.map((c) => ({...c})), familyLibrary: async () => [...library]},
      log,
      maxAgeMs: 0,
    });
    const first = await catalog.list(true);
    expect(first.map((c) => c.title)).toEqual(["Bedtime", "Songs", "The Gruffalo"]);
    // The same cards again, as new objects from a new answer: the list kept is given.
    expect(await catalog.list(true)).toBe(first);
    mine = [
      {cardId: "abc12", title: "The Gruffalo's Child"},
      {cardId: "def34", title: "Songs"},
    ];
    const renamed = await catalog.list(true);
    expect(renamed).not.toBe(first);
    expect(renamed.map((c) => c.title)).toEqual(["Bedtime", "Songs", "The Gruffalo's Child"]);
    expect(await catalog.resolve("the gruffalo's child")).toBe("abc12");
  });

  it("are listed in the order the locale compares titles in", async () => {
    const titles = ["éclair", "Zebra", "apple", "Éclair", "zebra", "Apple", "ábc"];
    const catalog = new CardCatalog({
      source: {
        myCardTitles: async () => titles.map((title, i) => ({cardId: `c${i}`, title})),
        familyLibrary: async () => [],
      },
      log,
    });
    expect((await catalog.list()).map((c) => c.title)).toEqual([...titles].sort((a, b) => a.localeCompare(b)));
  });
});
