import type {PictureSource} from "../shared/api/pictures.js";
import type {ShelfItem} from "../shared/api/shelf.js";

/** What the shelf asks of the pictures: an item's own or chosen picture, when there is one. */
export interface ItemPictures {
  pictureOf(item: string): {url: string; source: Exclude<PictureSource, "drawing">} | undefined;
}

/**
 * Each item's picture, no two alike on one shelf: its chosen or own picture where it has one (the
 * same picture a second time is drawn instead: two cards with one art; a chosen picture wins over
 * the same picture as another item's own), else a drawing of a word
 * of its title. The drawings are chosen for the whole shelf in its order, whatever has art, so an
 * item's drawing stays the same while art comes and goes. The drawings (a hundred kilobytes of
 * paths) are loaded by the first shelf shown, not at start: a family without shelves never needs them.
 */
export async function withPictures<T extends ShelfItem>(items: T[], pictures: ItemPictures): Promise<T[]> {
  const {chooseDrawings, drawingUrl} = await import("../pictures/drawingChoice.js");
  // A title's first words name it: a title of a million characters costs no more than a long one.
  const drawings = chooseDrawings(items.map((i) => ({title: i.title.slice(0, MAX_TITLE), kind: i.kind})));
  const found = items.map((item) => pictures.pictureOf(item.id));
  const given: Array<ReturnType<ItemPictures["pictureOf"]>> = [];
  const shown = new Set<string>();
  // A parent's choice first, then own pictures: a card's art never takes the place of a chosen one.
  for (const chosenPass of [true, false])
    found.forEach((picture, i) => {
      if (!picture || (picture.source === "chosen") !== chosenPass || shown.has(picture.url)) return;
      given[i] = picture;
      shown.add(picture.url);
    });
  items.forEach((item, i) => {
    const picture = given[i];
    item.cover = picture ? picture.url : drawingUrl(drawings[i] as {drawing: string; hue: number});
    item.picture = picture ? picture.source : "drawing";
  });
  return items;
}

const MAX_TITLE = 200;
