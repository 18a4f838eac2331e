import type {AnnounceRequest} from "../announce/request.js";
import {parseAnnounceRequest} from "../announce/request.js";
import {badRequest} from "../core/errors.js";
import type {PlayerCommand} from "../yoto/commands.js";
import {type PlayerState, VOLUME_PERCENTS, VOLUME_STEPS} from "../yoto/playerModel.js";
import {COMMAND_PAYLOADS, MUTE_PAYLOADS} from "./mediaTopics.js";

/** What a media player command does on a player, ready to run. */
export type MediaAction =
  | {kind: "command"; command: PlayerCommand; note?: string}
  | {kind: "announce"; request: AnnounceRequest; what: string}
  | {kind: "stream"; stream: string}
  | {kind: "url"; url: string}
  | {kind: "mute"; mute: boolean}
  | {kind: "card"; card: string}
  /** A library item played once (on the relay card, nothing put back): a start like a card. */
  | {kind: "item"; request: AnnounceRequest; what: string};

const MAX_MEDIA_ID = 2048;
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const media = (message: string) => badRequest(message, "bad_media_command");

/**
 * Check one message from the integration and say what it asks of the player. Every refusal is
 * an error naming what came and what to send; nothing reaches the player before this passes.
 */
export function parseMediaCommand(command: string, payload: string, player: PlayerState): MediaAction {
  switch (command) {
    case "play":
    case "pause":
    case "next":
    case "previous": {
      const expected = COMMAND_PAYLOADS[command];
      const sent = payload.trim();
      if (sent !== "" && sent.toLowerCase() !== expected)
        throw media(`'${clip(sent)}' is not a ${command} command: send '${expected}'`);
      return {kind: "command", command: {command: command === "play" ? "resume" : command}};
    }
    case "volume":
      return volumeAction(payload, player);
    case "mute": {
      const sent = payload.trim().toLowerCase();
      if (sent !== MUTE_PAYLOADS.on && sent !== MUTE_PAYLOADS.off)
        throw media(
          `'${clip(payload.trim())}' is not a mute command: send '${MUTE_PAYLOADS.on}' or '${MUTE_PAYLOADS.off}'`,
        );
      return {kind: "mute", mute: sent === MUTE_PAYLOADS.on};
    }
    case "playmedia":
      return playMediaAction(payload);
    default:
      throw media(
        `Unknown media player command '${clip(command)}': known are ${Object.keys(COMMAND_PAYLOADS).join(", ")}, volume, mute and playmedia`,
      );
  }
}

/**
 * Home Assistant's volume, a float 0–1, onto the player's 17 steps: the nearest step, and never
 * above the max volume the parents set (the player would refuse or clip it anyway).
 */
function volumeAction(payload: string, player: PlayerState): MediaAction {
  const text = payload.trim();
  // Decimal only, as Home Assistant writes a float (0.5, 1e-05): Number() would also take 0x1 as 1.
  const value = text.length <= 32 && DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || value < 0 || value > 1)
    throw media(`'${clip(text)}' is not a volume: send a number from 0 to 1 (0.5 is half)`);
  const wanted = Math.round(value * VOLUME_STEPS);
  const max = player.volume.max ?? VOLUME_STEPS;
  const level = Math.min(wanted, max);
  const note =
    level < wanted ? `volume ${text} is above the max volume ${max} of ${VOLUME_STEPS}: set to the max` : undefined;
  return {kind: "command", command: {command: "volume", percent: VOLUME_PERCENTS[level] as number}, note};
}

/**
 * `{"media_type": …, "media_id": …}` as the integration sends it (Home Assistant has already turned
 * a media source, text-to-speech included, into a URL): speech (a URL on Home Assistant's TTS
 * proxy, what `tts.speak` sends) is announced and what was playing comes back; any other http(s)
 * URL (the media browser, Music Assistant, a radio station) plays as a stream, nothing resumed
 * after it; `stream:<name>` plays a stream's card; `library:<item>` plays a library item once;
 * anything else is a card's id or title.
 */
function playMediaAction(payload: string): MediaAction {
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    throw media(
      `play_media needs JSON such as {"media_type": "music", "media_id": "<card, URL, stream:… or library:…>"}, not '${clip(payload)}'`,
    );
  }
  const id = typeof body === "object" && body !== null ? (body as {media_id?: unknown}).media_id : undefined;
  if (typeof id !== "string" || id.trim() === "")
    throw media(
      "play_media needs a 'media_id': a card's title or id, an http(s) audio URL, stream:<name> or library:<item>",
    );
  const mediaId = id.trim();
  if (mediaId.length > MAX_MEDIA_ID)
    throw media(`The media_id is ${mediaId.length} characters; at most ${MAX_MEDIA_ID} are taken`);
  if (/^https?:\/\//i.test(mediaId)) {
    const request = parseAnnounceRequest({media: mediaId});
    if (request.source.kind === "media" && isTtsProxy(request.source.url))
      return {kind: "announce", request, what: "the speech at the URL"};
    return {kind: "url", url: mediaId};
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(mediaId)?.[1]?.toLowerCase();
  if (scheme === "stream") return {kind: "stream", stream: required(mediaId, "stream:", "a stream's name")};
  if (scheme === "library") {
    const item = required(mediaId, "library:", "a library item's id, path or title");
    return {
      kind: "item",
      request: parseAnnounceRequest({item, resume: false}),
      what: `The library item '${clip(item)}'`,
    };
  }
  if (scheme === "media-source")
    throw media(
      `'${clip(mediaId)}' is a Home Assistant media source it did not resolve: play it from Home Assistant's media browser, or send its http(s) URL`,
    );
  // A title may hold a colon ("Peter Pan: Chapter 1"); a URL scheme we cannot fetch may not.
  if (scheme && /^[a-z][a-z0-9+.-]*:\/\//i.test(mediaId))
    throw media(
      `'${clip(mediaId)}' is a ${scheme}: address; this player can be sent http(s) URLs, card titles or ids, stream:<name> and library:<item>`,
    );
  return {kind: "card", card: mediaId};
}

/** Home Assistant's TTS proxy: where `tts.speak` hands a player the speech it made. */
function isTtsProxy(url: string): boolean {
  return new URL(url).pathname.startsWith("/api/tts_proxy/");
}

function required(mediaId: string, prefix: string, what: string): string {
  const rest = mediaId.slice(prefix.length).trim();
  if (!rest) throw media(`'${mediaId}' names no ${what.replace(/^an? /, "")}: send ${prefix}<${what}>`);
  return rest;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
