import type {RadioView, StreamChange} from "../../../src/shared/api/index.js";

export type {RadioView};

import {request, segment} from "./http.js";

/** Make `name` a station stream (created when it does not exist). */
export const setStation = (name: string, url: string) =>
  request<StreamChange>("PUT", `api/streams/${segment(name)}`, {radio: {url}});

/** What each state means to a parent, shortest first. */
export const RADIO_STATE_LABELS: Record<RadioView["state"], string> = {
  idle: "Not playing",
  connecting: "Connecting",
  playing: "On air",
  reconnecting: "Reconnecting",
  down: "Not answering",
};

/** A stream's station: `radio` is there for station streams only. */
export function radioOf(stream: {radio: RadioView | null}): RadioView | null {
  return stream.radio;
}
