import {describe, expect, it} from "vitest";
import type {ShelfItem} from "../../../src/shared/api/shelf.js";
import {type ItemPictures, withPictures} from "../../../src/shelf/shelfPictures.js";

const item = (id: string, title: string): ShelfItem => ({
  id,
  kind: "card",
  title,
  cover: "",
  picture: "drawing",
  ref: id,
});

describe("each shelf item's picture", () => {
  it("puts a parent's choice before another item's own art, and draws the same picture a second time", async () => {
    const pictures: ItemPictures = {
      pictureOf: (id) =>
        ({
          "card:a": {url: "api/shelf/pictures/owl.png", source: "art" as const},
          "card:b": {url: "api/shelf/pictures/owl.png", source: "chosen" as const},
          "card:c": {url: "api/shelf/pictures/owl.png", source: "chosen" as const},
          "card:d": {url: "api/shelf/pictures/fox.jpg", source: "art" as const},
        })[id as "card:a"],
    };
    const items = await withPictures(
      [item("card:a", "Owls"), item("card:b", "More owls"), item("card:c", "Owls again"), item("card:d", "Fox")],
      pictures,
    );
    expect(items.map((i) => [i.id, i.picture])).toEqual([
      ["card:a", "drawing"],
      ["card:b", "chosen"],
      ["card:c", "drawing"],
      ["card:d", "art"],
    ]);
    expect(items[1]?.cover).toBe("api/shelf/pictures/owl.png");
    expect(new Set(items.map((i) => i.cover)).size).toBe(4);
  });

  it("draws an item by its title's first words, however long the title", async () => {
    const none: ItemPictures = {pictureOf: () => undefined};
    const [long] = await withPictures([item("card:x", `Moon ${"x".repeat(1_000_000)}`)], none);
    const [short] = await withPictures([item("card:y", `Moon ${"x".repeat(195)}`)], none);
    expect(long?.cover).toBe(short?.cover);
    expect(long?.cover).toMatch(/^api\/shelf\/covers\/moon-\d+\.svg$/);
  });
});
