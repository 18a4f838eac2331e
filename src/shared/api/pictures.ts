/**
 * A picture for everything on a child's shelf (docs/child.md, "Pictures"): a card's art from Yoto,
 * a story's icon, a picture a parent chose (an upload, or one of Yoto's icons), else a drawing of
 * a word of its title. Every picture is served from the service's own origin.
 */

/** Where a shelf item's picture comes from. */
export type PictureSource = "chosen" | "art" | "story" | "drawing";

/** A picture a parent chose for a shelf item. */
export interface ChosenPicture {
  /** The shelf item's id, as `GET /api/children/<name>/shelf` lists it: `card:<id>`, `story:<id>`, `stream:<name>`, `library:<id>`, `story-radio`. */
  item: string;
  /** An upload, or one of Yoto's icons (by its `yoto:#<mediaId>`). */
  from: "upload" | "icon";
  icon?: string;
  /** The picture, relative to the panel's address. */
  url: string;
  /** ISO: when it was chosen. */
  at: string;
}

/** `GET /api/pictures`. */
export interface ChosenPictures {
  pictures: ChosenPicture[];
}

/**
 * `PUT /api/pictures/<item>`: the body is the picture itself (`Content-Type: image/png`,
 * `image/jpeg`, `image/gif` or `image/webp`, at most 10 MB), or JSON `{"icon": "yoto:#<mediaId>"}`
 * for one of Yoto's icons. Answers the `ChosenPicture`. `DELETE /api/pictures/<item>` gives the item
 * its own picture back (204).
 */
export interface PictureIconChoice {
  icon: string;
}

/** `pictures.changed`: a shelf item's chosen picture was set or taken off. */
export interface PicturesChanged {
  item: string;
}
