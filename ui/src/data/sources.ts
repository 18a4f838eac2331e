import type {ServerView, SourceItem, SourcePage} from "../../../src/shared/api/index.js";
import {get, request, segment} from "./http.js";

export type {ServerView as MediaServer, SourceItem};

export const getSources = () => get<{servers: ServerView[]}>("api/sources");

export const addSource = (url: string) => request<ServerView>("POST", "api/sources", {url});

/** A folder's entries (the server's root when `object` is absent), or what a search finds. */
export const browseSource = (server: string, query: {object?: string; q?: string; count?: number}) =>
  get<SourcePage>(`api/sources/${segment(server)}/browse`, query);
