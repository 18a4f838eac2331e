import type {
  CardCreate,
  FeedFollow,
  FeedView,
  OwnCard,
  PlayMode,
  StreamChange,
  StreamView,
} from "../../../src/shared/api/index.js";
import {get, request, segment} from "./http.js";

export type {FeedFollow, FeedView, PlayMode, StreamView} from "../../../src/shared/api/index.js";
export type FeedOrder = FeedView["order"];

export const PLAY_MODES: readonly PlayMode[] = ["once", "loop", "shuffle", "shuffle_loop"];

const base = (name: string) => `api/streams/${segment(name)}`;

export const getStreams = () => get<{streams: StreamView[]; count: number}>("api/streams");

/** Creates the stream when it does not exist. */
export const replaceQueue = (name: string, items: string[], mode?: PlayMode) =>
  request<StreamChange>("PUT", base(name), {items, mode});

export const deleteStream = (name: string) => request<{success: true}>("DELETE", base(name));

export const appendItems = (name: string, items: string[]) =>
  request<StreamChange>("POST", `${base(name)}/queue`, {items});

export const removeAt = (name: string, index: number) =>
  request<StreamChange>("DELETE", `${base(name)}/queue/${index}`);

export const moveItem = (name: string, from: number, to: number) =>
  request<StreamChange>("PUT", `${base(name)}/queue/reorder`, {old_index: from, new_index: to});

export const setMode = (name: string, mode: PlayMode) => request<StreamChange>("PUT", `${base(name)}/mode`, {mode});

export const savePreset = (name: string, preset: string, items: string[]) =>
  request<StreamChange>("PUT", `${base(name)}/presets/${segment(preset)}`, {items});

export const deletePreset = (name: string, preset: string) =>
  request<StreamChange>("DELETE", `${base(name)}/presets/${segment(preset)}`);

export const activatePreset = (name: string, preset: string) =>
  request<StreamChange>("POST", `${base(name)}/presets/${segment(preset)}/activate`);

/**
 * Make the stream follow a podcast feed (the stream is made when it does not exist). Answers at
 * once; the episodes download in the background (`feed.progress`, then `feed.refreshed`).
 */
export const followFeed = (name: string, feed: FeedFollow) => request<StreamChange>("PUT", base(name), {feed});

/** Look for new episodes now; answers once done, with the feed as it is then (a failure in `error`). */
export const refreshFeed = (name: string) => request<FeedView>("POST", `${base(name)}/feed/refresh`);

/** Stop following the feed; the episodes stay in the stream. */
export const unfollowFeed = (name: string) => request<{success: true; message: string}>("DELETE", `${base(name)}/feed`);

/** Let a hidden episode back in (hiding is removing its row); it returns at the refresh this starts. */
export const unhideEpisode = (name: string, key: string) =>
  request<{success: true; message: string; feed: FeedView}>(
    "DELETE",
    `${base(name)}/feed/hidden?key=${encodeURIComponent(key)}`,
  );

/** Plays through the stream's card, which is made the first time. */
export const playStream = (name: string, player: string) =>
  request<{card: OwnCard}>("POST", `${base(name)}/play`, {player});

export const getCards = () => get<{cards: OwnCard[]}>("api/cards");

export const createCard = (body: CardCreate) => request<{card: OwnCard}>("POST", "api/cards", body);
