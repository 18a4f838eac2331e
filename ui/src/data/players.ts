import type {FamilyCard, PlayerCommand, PlayersList, VirtualPlayerView} from "../../../src/http/api.js";
import {get, request, segment} from "./http.js";

export type {PlayerState} from "../../../src/http/api.js";

export const getPlayers = () => get<PlayersList>("api/players");

/** Resolves when the player acknowledges the command. */
export const sendCommand = (player: string, command: PlayerCommand) =>
  request<{ok: true}>("POST", `api/players/${segment(player)}/commands`, command);

export const getFamilyCards = () => get<{cards: FamilyCard[]}>("api/account/cards");

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
