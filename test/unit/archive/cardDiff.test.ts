import {describe, expect, it} from "vitest";
import {diffCards} from "../../../src/archive/cardDiff.js";
import type {Card} from "../../../src/yoto/rest.js";

const AT = "2026-11-24T03:30:00.000Z";

/** A card of one-track chapters: [title, audio sha] each. */
function card(title: string, tracks: Array<[string, string]>, extra: {cover?: string; icon?: string} = {}): Card {
  return {
    cardId: "gran1",
    title,
    content: {
      chapters: tracks.map(([t, sha], i) => {
        const key = String(i + 1).padStart(2, "0");
        return {
          key,
          title: t,
          display: {icon16x16: i === 0 && extra.icon ? extra.icon : null},
          tracks: [{key, title: t, trackUrl: `yoto:#${sha}`, type: "audio"}],
        };
      }),
    },
    metadata: extra.cover ? {cover: {imageL: extra.cover}} : {},
  };
}

const BASE: Array<[string, string]> = [
  ["The Owl", "a"],
  ["The Fox", "b"],
  ["The Moon", "c"],
];

describe("what changed on a card between two runs", () => {
  it("tells a first copy by its size", () => {
    expect(diffCards(undefined, card("Grandma", BASE), AT)).toMatchObject({
      kind: "new",
      summary: "archived for the first time: 3 chapters, 3 tracks",
      added: 3,
    });
  });

  it("is nothing when nothing changed", () => {
    expect(diffCards(card("Grandma", BASE), card("Grandma", BASE), AT)).toBeUndefined();
  });

  it("counts tracks added and renamed", () => {
    const after = card("Grandma", [
      ["The Owl", "a"],
      ["The Sly Fox", "b"],
      ["The Moon", "c"],
      ["Bear", "d"],
      ["Hare", "e"],
    ]);
    expect(diffCards(card("Grandma", BASE), after, AT)).toMatchObject({
      kind: "changed",
      summary: "2 tracks added, 1 renamed",
      added: 2,
      renamed: 1,
      removed: 0,
      moved: 0,
    });
  });

  it("tells removed, new audio in the same place, and a new order apart", () => {
    const removed = card("Grandma", [
      ["The Owl", "a"],
      ["The Moon", "c"],
    ]);
    expect(diffCards(card("Grandma", BASE), removed, AT)?.summary).toBe("1 track removed");
    const replaced = card("Grandma", [
      ["The Owl", "a"],
      ["The Fox", "z"],
      ["The Moon", "c"],
    ]);
    expect(diffCards(card("Grandma", BASE), replaced, AT)?.summary).toBe("1 with new audio");
    const reordered = card("Grandma", [
      ["The Moon", "c"],
      ["The Owl", "a"],
      ["The Fox", "b"],
    ]);
    expect(diffCards(card("Grandma", BASE), reordered, AT)).toMatchObject({moved: 1, added: 0, removed: 0});
    const swapped = card("Grandma", [
      ["The Fox", "b"],
      ["The Owl", "a"],
      ["The Moon", "c"],
    ]);
    expect(diffCards(card("Grandma", BASE), swapped, AT)?.summary).toBe("1 moved");
  });

  it("sees the card's own title, its icons and its cover", () => {
    const after = card("Grandma's best", BASE, {icon: "yoto:#icon", cover: "https://example.com/c.png"});
    expect(diffCards(card("Grandma", BASE), after, AT)).toMatchObject({
      // The journal line names both titles: "renamed to" alone left the family guessing what it was.
      summary: "2 icons or covers changed, renamed from 'Grandma' to 'Grandma's best'",
      retitled: {from: "Grandma", to: "Grandma's best"},
      details: 2,
    });
  });

  it("does not call a track renamed because its chapter got a second track", () => {
    const before: Card = {
      cardId: "m",
      title: "Meadow",
      content: {chapters: [{key: "01", title: "Meadow", tracks: [{key: "01", title: "Owl", trackUrl: "yoto:#a"}]}]},
    };
    const after: Card = {
      cardId: "m",
      title: "Meadow",
      content: {
        chapters: [
          {
            key: "01",
            title: "Meadow",
            tracks: [
              {key: "01", title: "Owl", trackUrl: "yoto:#a"},
              {key: "02", title: "Bear", trackUrl: "yoto:#b"},
            ],
          },
        ],
      },
    };
    expect(diffCards(before, after, AT)?.summary).toBe("1 track added");
    const chapterRenamed = structuredClone(after);
    (chapterRenamed.content.chapters as Array<{title: string}>)[0]!.title = "Big meadow";
    expect(diffCards(after, chapterRenamed, AT)?.summary).toBe("1 renamed");
  });

  it("matches the same audio used twice once per use", () => {
    const twice: Array<[string, string]> = [
      ["Hush", "a"],
      ["Hush again", "a"],
    ];
    expect(diffCards(card("Songs", twice), card("Songs", [["Hush", "a"]]), AT)?.summary).toBe("1 track removed");
  });

  it("pairs 5,000 uses of one audio in order", () => {
    const many = Array.from({length: 5000}, (_, i): [string, string] => [`T${i}`, "same"]);
    const renamed = many.map(([t, s], i): [string, string] => [i % 2 ? `${t}!` : t, s]);
    expect(diffCards(card("Big", many), card("Big", renamed), AT)).toMatchObject({renamed: 2500, moved: 0, added: 0});
  });
});
