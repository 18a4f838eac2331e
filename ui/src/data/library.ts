import type {IconEntry, IconLists, LibraryItemView, LibraryPage, ScanStats} from "../../../src/shared/api/index.js";
import {get, request, segment} from "./http.js";
import {uploadFile} from "./upload.js";

export type {IconEntry, LibraryItem, LibraryItemView} from "../../../src/shared/api/index.js";

/**
 * A page of the library. `place: "narration"` lists the stories' spoken scenes instead, which the
 * service keeps out of the library's own list.
 */
export const searchLibrary = (q: string, limit = 100, place?: "narration") =>
  get<LibraryPage>("api/library", {q, limit, place});

export const getItem = (id: string) => get<LibraryItemView>(`api/library/${segment(id)}`);

export const deleteItem = (id: string) => request<void>("DELETE", `api/library/${segment(id)}`);

export const rescan = () => request<ScanStats>("POST", "api/library/rescan");

/** Where the panel's preview player reads an item (ranged, so seeking works). */
export const previewUrl = (id: string) => `api/library/${segment(id)}/audio`;

export const uploadAudio = (file: File, onProgress: (fraction: number) => void, signal?: AbortSignal) =>
  uploadFile<LibraryItemView>(`api/library/uploads?filename=${segment(file.name)}`, file, onProgress, signal);

export const getIcons = (search: string) => get<IconLists>("api/icons", {search});

/** Any PNG; the service fits it into 16×16. */
export const uploadIcon = (file: File) =>
  uploadFile<{icon: IconEntry & {new: boolean}}>(
    `api/icons?convert=true&filename=${segment(file.name)}`,
    file,
    () => {},
  );

export const showIcon = (player: string, icon: string) =>
  request<{ok: true}>("POST", `api/players/${segment(player)}/icon`, {icon, seconds: 10});
