import {chooseDrawings, drawingUrl} from "../pictures/drawingChoice.js";
import type {PictureSource} from "../shared/api/pictures.js";
import type {ShelfItem} from "../shared/api/shelf.js";

/** What the shelf asks of the pictures: an item's own or chosen picture, when there is one. */
export interface ItemPictures {
  pictureOf(item: string): {url: string; source: Exclude<PictureSource, "drawing">} | undefined;
}

/**
 * Each item's picture, no two alike on one shelf: its chosen or own picture where it has one (the
 * same picture a second time is drawn instead: two cards with one art), else a drawing of a word
 * of its title. The drawings are chosen for the whole shelf in its order, whatever has art, so an
 * item's drawing stays the same while art comes and goes.
 */
export function withPictures<T extends ShelfItem>(items: T[], pictures: ItemPictures): T[] {
  const drawings = chooseDrawings(items.map((i) => ({title: i.title, kind: i.kind})));
  const shown = new Set<string>();
  items.forEach((item, i) => {
    const picture = pictures.pictureOf(item.id);
    if (picture && !shown.has(picture.url)) {
      item.cover = picture.url;
      item.picture = picture.source;
    } else {
      item.cover = drawingUrl(drawings[i] as {drawing: string; hue: number});
      item.picture = "drawing";
    }
    shown.add(item.cover);
  });
  return items;
}
