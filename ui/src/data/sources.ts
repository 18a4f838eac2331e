import {get, request, segment} from "./http.js";

/** A media server on the home network, as `GET /api/sources` lists it. */
export interface MediaServer {
  id: string;
  name: string;
  state: string;
  error: string | null;
  url: string;
  search: boolean;
  discovered: boolean;
}

/** One entry of a server's folder or search: `ref` is what a queue takes. */
export interface SourceItem {
  id: string;
  title: string;
  kind: "folder" | "track";
  duration: number | null;
  ref: string;
  artist?: string | null;
  album?: string | null;
  cover?: string | null;
}

export const getSources = () => get<{servers: MediaServer[]}>("api/sources");

export const addSource = (url: string) => request<MediaServer>("POST", "api/sources", {url});

/** A folder's entries (the server's root when `object` is absent), or what a search finds. */
export const browseSource = (server: string, query: {object?: string; q?: string; count?: number}) =>
  get<{items: SourceItem[]; total: number}>(`api/sources/${segment(server)}/browse`, query);
