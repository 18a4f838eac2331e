import type {StreamChange} from "../../../src/shared/api/index.js";
import {request, segment} from "./http.js";

/** A station stream's `radio`, as `GET /api/streams/<name>` shows it (its address without credentials). */
export interface RadioView {
  url: string;
  state: "idle" | "connecting" | "playing" | "reconnecting" | "down";
  now_playing: string | null;
  error: string | null;
  listeners: number;
  since: string | null;
}

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

/** A stream's station, read off the stream view (which carries `radio` for station streams only). */
export function radioOf(stream: object): RadioView | null {
  const radio = (stream as {radio?: RadioView | null}).radio;
  return radio ?? null;
}
