import type {ChosenPicture, ChosenPictures} from "../../../src/shared/api/index.js";
import {get, request, segment} from "./http.js";
import {uploadFile} from "./upload.js";

export type {ChosenPicture, ChosenPictures, PictureSource, ShelfItem} from "../../../src/shared/api/index.js";

/** The kinds of file the service takes as a picture; anything else it refuses (415). */
export const PICTURE_TYPES = "image/png,image/jpeg,image/gif,image/webp";

/** `item` is a shelf item's id as the shelf read gives it (`card:<id>`, `story:<id>`, `story-radio`, …). */
const picture = (item: string) => `api/pictures/${segment(item)}`;

/** Every picture a parent chose, for whichever shelf it is on. */
export const listPictures = () => get<ChosenPictures>("api/pictures");

/** The file itself is the body, with its own type: the service checks both, and the size (10 MB at most). */
export const choosePictureFile = (item: string, file: File) =>
  uploadFile<ChosenPicture>(picture(item), file, () => {}, undefined, "PUT");

/** One of Yoto's icons, by its `yoto:#<mediaId>` (as the icon picker gives it). */
export const choosePictureIcon = (item: string, icon: string) => request<ChosenPicture>("PUT", picture(item), {icon});

/** The item has its own picture again (its art, its story's icon, or its drawing). */
export const clearPicture = (item: string) => request<void>("DELETE", picture(item));
