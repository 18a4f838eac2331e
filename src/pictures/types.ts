import type {PicturesChanged} from "../shared/api/pictures.js";

export type * from "../shared/api/pictures.js";

/** What the pictures tell the rest of the app. */
declare module "../core/events.js" {
  interface EventMap {
    /** A parent chose a picture for a shelf item, or gave it its own back: pages draw it anew. */
    "pictures.changed": PicturesChanged;
  }
}
