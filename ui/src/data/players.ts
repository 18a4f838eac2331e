import type {ReactiveControllerHost} from "lit";
import type {
  CardArtwork,
  Exposure,
  FamilyCard,
  PlayerCommand,
  PlayerState,
  PlayersList,
  QuietEnded,
  QuietHoursList,
  UpnpStatus,
  VirtualPlayerView,
} from "../../../src/shared/api/index.js";
import {ApiError, get, request, segment} from "./http.js";
import type {LiveEvents} from "./live.js";
import {LiveResource} from "./resource.js";

export type {PlayerState, QuietView} from "../../../src/shared/api/index.js";

export const getPlayers = () => get<PlayersList>("api/players");

/**
 * The account's players for a view that offers them beside its own data (a filter, a select, an
 * editor's choices): loaded when the view connects and again when a player is added or removed.
 * With `orNone`, a failure (unlinked: no players to offer) is an empty list rather than an error,
 * for a view that says so itself.
 */
export function followPlayers(
  host: ReactiveControllerHost,
  live: () => LiveEvents | undefined,
  opts: {orNone?: boolean} = {},
) {
  return new LiveResource<{players: PlayerState[]}>(host, {
    load: opts.orNone ? () => getPlayers().catch(() => ({players: []})) : getPlayers,
    live,
    reloadOn: ["player.added", "player.removed"],
  });
}

/** Resolves when the player acknowledges the command. */
export const sendCommand = (player: string, command: PlayerCommand) =>
  request<{ok: true}>("POST", `api/players/${segment(player)}/commands`, command);

/** Who is in quiet hours (max volume held at 0) and until when. */
export const getQuietHours = () => get<QuietHoursList>("api/quiet-hours");

/** End a player's quiet hours now: its max volumes go back (or as soon as it is online). */
export const endQuietHours = (player: string) => request<QuietEnded>("DELETE", `api/players/${segment(player)}/quiet`);

/** Whether the player is offered to Home Assistant as an MQTT media player and as a DLNA renderer. */
export const getExposure = (player: string) => get<Exposure>(`api/players/${segment(player)}/exposure`);

/** Turn either switch; answers both once saved. */
export const setExposure = (player: string, patch: Partial<Exposure>) =>
  request<Exposure>("PUT", `api/players/${segment(player)}/exposure`, patch);

/**
 * How the DLNA renderers are seen: which control points found each and when, subscribers, the last
 * action. Undefined from a service without renderers (it answers 404), so the panel shows nothing.
 */
export async function getUpnpStatus(): Promise<UpnpStatus | undefined> {
  try {
    return await get<UpnpStatus>("api/upnp");
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return undefined;
    throw err;
  }
}

export const getFamilyCards = () => get<{cards: FamilyCard[]}>("api/account/cards");

/** A card's title and artwork; both absent when Yoto does not describe the card. */
export const getCardArtwork = (cardId: string) => get<CardArtwork>(`api/account/cards/${segment(cardId)}`);

/**
 * Percent values of the player's 17 volume steps (levels 0–16), as the firmware maps them: the
 * service's `VOLUME_PERCENTS` (src/yoto/playerModel.ts), copied because the panel imports only types.
 */
export const VOLUME_PERCENTS = [0, 7, 13, 19, 25, 32, 38, 44, 50, 57, 63, 69, 75, 82, 88, 94, 100] as const;

/** The demo's simulated players; empty outside the demo. */
export const getVirtualPlayers = () => get<{players: VirtualPlayerView[]}>("api/virtual");

export const pressButton = (player: string, button: "left" | "right") =>
  request<{ok: true}>("POST", `api/virtual/${segment(player)}/press`, {button});

export const turnKnob = (player: string, steps: number) =>
  request<{ok: true}>("POST", `api/virtual/${segment(player)}/knob`, {steps});

export const insertCard = (player: string, cardId: string) =>
  request<{ok: true}>("POST", `api/virtual/${segment(player)}/card`, {cardId});

export const removeCard = (player: string) => request<{ok: true}>("DELETE", `api/virtual/${segment(player)}/card`);

export const finishTrack = (player: string) =>
  request<{ok: true}>("POST", `api/virtual/${segment(player)}/finish-track`);
