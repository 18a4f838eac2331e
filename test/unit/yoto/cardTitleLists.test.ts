import {afterEach, describe, expect, it} from "vitest";
import {CardTitleLists} from "../../../src/yoto/cardTitleLists.js";

/** An answer as Yoto sends `/content/mine`: whole cards, each track a long signed link. */
function mine(count: number): Buffer {
  const cards: unknown[] = Array.from({length: count}, (_, i) => ({
    cardId: `c${i}`,
    title: `Story number ${i}`,
    content: {chapters: [{key: "01", tracks: [{key: "01", trackUrl: `https://media.example/${"x".repeat(400)}`}]}]},
  }));
  cards.push(null, {title: "no id"}, {cardId: "", title: "empty id"}, {cardId: "n0tit"});
  return Buffer.from(JSON.stringify({cards}));
}

let lists: CardTitleLists | undefined;
afterEach(async () => {
  await lists?.close();
});

describe("the family's card lists, read off the event loop", () => {
  it("reads a big list on its thread exactly as a small one in place: ids and titles, entries without an id left out", async () => {
    lists = new CardTitleLists();
    const big = mine(2000);
    expect(big.length).toBeGreaterThan(64 * 1024);
    const read = await lists.read(big, "mine");
    // Its bytes moved to the thread rather than being copied.
    expect(big.buffer.byteLength).toBe(0);
    expect(read).toHaveLength(2001);
    expect(read?.[7]).toEqual({cardId: "c7", title: "Story number 7"});
    expect(read?.at(-1)).toEqual({cardId: "n0tit", title: "n0tit"});
    expect(await lists.read(mine(3), "mine")).toEqual([
      {cardId: "c0", title: "Story number 0"},
      {cardId: "c1", title: "Story number 1"},
      {cardId: "c2", title: "Story number 2"},
      {cardId: "n0tit", title: "n0tit"},
    ]);
    expect(lists.counts).toEqual({onThread: 1, inPlace: 1});
  });

  it("takes the library's titles from each entry's card, and says when an answer holds no list", async () => {
    lists = new CardTitleLists();
    const library = Buffer.from(
      JSON.stringify({
        cards: [
          {cardId: "abcde", card: {title: "The Gruffalo"}, padding: "y".repeat(70_000)},
          {card: {cardId: "fghij", title: "Room on the Broom"}},
        ],
      }),
    );
    expect(await lists.read(library, "library")).toEqual([
      {cardId: "abcde", title: "The Gruffalo"},
      {cardId: "fghij", title: "Room on the Broom"},
    ]);
    expect(await lists.read(Buffer.from(`{"message":"${"z".repeat(70_000)}"}`), "mine")).toBeUndefined();
  });

  it("refuses an answer that is not JSON, on the thread and in place", async () => {
    lists = new CardTitleLists();
    await expect(lists.read(Buffer.from(`{"cards": [${"1,".repeat(40_000)}`), "mine")).rejects.toThrow(SyntaxError);
    await expect(lists.read(Buffer.from("<html>busy</html>"), "mine")).rejects.toThrow(SyntaxError);
  });

  it("fails a read whose thread was ended under it (the service stopping), and starts another for the next", async () => {
    lists = new CardTitleLists();
    const failed = expect(lists.read(mine(2000), "mine")).rejects.toThrow("the card list reader was stopped");
    await lists.close();
    await failed;
    expect(await lists.read(mine(1000), "mine")).toHaveLength(1001);
    expect(lists.counts).toEqual({onThread: 1, inPlace: 0});
  });
});
