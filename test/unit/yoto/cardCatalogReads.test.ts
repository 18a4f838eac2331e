import {describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {CardCatalog} from "../../../src/yoto/cardCatalog.js";

type Card = {cardId: string; title: string};

/** Yoto's two card lists, answered when the test says: each read waits on `answer`. */
function heldSource(cards: Card[]) {
  const waiting: Array<() => void> = [];
  let reads = 0;
  const read = () =>
    new Promise<Card[]>((resolve) => {
      waiting.push(() => resolve([...cards]));
    });
  return {
    cards,
    get reads() {
      return reads;
    },
    /** Answer every read under way. */
    answer() {
      for (const done of waiting.splice(0)) done();
    },
    source: {
      myCardTitles: () => {
        reads++;
        return read();
      },
      familyLibrary: () => read(),
    },
  };
}

const log = new Logger({level: "error"});

describe("a card to play, by id or title, from the family's cards", () => {
  it("is found in the list as last read without waiting for the list read again; an old list is read again meanwhile", async () => {
    const yoto = heldSource([{cardId: "abc12", title: "The Gruffalo"}]);
    // Every list is old at once: each resolve would wait for Yoto if it read the list again first.
    const catalog = new CardCatalog({source: yoto.source, log, maxAgeMs: 0});
    const first = catalog.resolve("abc12");
    yoto.answer();
    expect(await first).toBe("abc12");
    expect(yoto.reads).toBe(1);
    // Yoto answers nothing now: the known card is played anyway, and the list is being read again.
    expect(await catalog.resolve("abc12")).toBe("abc12");
    expect(await catalog.resolve("the gruffalo")).toBe("abc12");
    expect(yoto.reads).toBe(2);
    yoto.answer();
  });

  it("waits for a fresh read for a title not in the list as last read: a card bought a minute ago", async () => {
    const yoto = heldSource([{cardId: "abc12", title: "The Gruffalo"}]);
    const catalog = new CardCatalog({source: yoto.source, log, maxAgeMs: 0});
    const first = catalog.resolve("abc12");
    yoto.answer();
    await first;
    yoto.cards.push({cardId: "new01", title: "Room on the Broom"});
    let found: string | undefined;
    const bought = catalog.resolve("Room on the Broom").then((id) => {
      found = id;
    });
    // A turn of the event loop later, the answer still waits on Yoto.
    await new Promise((resolve) => setImmediate(resolve));
    expect(found).toBeUndefined();
    expect(yoto.reads).toBe(2);
    yoto.answer();
    await bought;
    expect(found).toBe("new01");
  });
});
