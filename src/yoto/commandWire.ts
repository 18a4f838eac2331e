import {AppError, badRequest, errorMessage} from "../core/errors.js";
import {ownEntry} from "../core/ownKeys.js";
import {capabilitiesOf} from "./capabilities.js";
import {neighbourTrack, resolveKeys} from "./cardKeys.js";
import {colourToRgb, type PlayerCommand} from "./commands.js";
import {type PlayerState, snapVolumePercent} from "./playerModel.js";
import {type Card, YotoApiError} from "./rest.js";

/** A command as it goes on the wire: `device/<id>/command/<topic>` with this payload. */
export interface WireCommand {
  topic: string;
  payload: Record<string, unknown> | "";
}

type LoadCard = (cardId: string) => Promise<Card>;

const SIMPLE: Record<string, string> = {
  pause: "card/pause",
  stop: "card/stop",
  reboot: "reboot",
};

/**
 * Translate a command into Yoto's topic and payload (reference §3.3), using the player's state
 * and the card's content where the wire needs more than the caller said: exact chapter keys,
 * the neighbouring track for next/previous, the current track for seek, the volume cap.
 */
export async function toWire(
  player: PlayerState,
  command: PlayerCommand,
  loadCard: LoadCard,
): Promise<WireCommand | null> {
  switch (command.command) {
    case "play":
    case "resume":
      return playAgain(player);
    case "play_card":
      return {topic: "card/start", payload: await cardStart(player, command, loadCard)};
    case "next":
    case "previous":
      return {topic: "card/start", payload: await skip(player, command.command === "next" ? 1 : -1, loadCard)};
    case "seek": {
      const {cardId, chapterKey, trackKey} = playing(player);
      return {
        topic: "card/start",
        payload: {uri: cardUri(cardId), chapterKey, trackKey, secondsIn: Math.floor(command.seconds)},
      };
    }
    case "volume":
      return {topic: "volume/set", payload: {volume: snapVolumePercent(command.percent, player.volume.max)}};
    case "sleep":
      return {topic: "sleep-timer/set", payload: {seconds: Math.round(command.seconds)}};
    case "sleep_end_of_track":
      return {topic: "sleep-timer/set", payload: {seconds: secondsToTrackEnd(player)}};
    case "settings":
      // Settings live in the device config (REST), not on a command topic: YotoPlayers writes them.
      throw badRequest("Settings are written through the device config, not as a command", "invalid_command");
    case "ambient":
      if (!capabilitiesOf(player.family).lightRing)
        throw badRequest(
          `'${player.name}' is ${capabilitiesOf(player.family).label}, which has no light ring for an ambient colour`,
          "unsupported",
        );
      return {topic: "ambients/set", payload: colourToRgb(command.color)};
    case "show_icon":
      return {topic: "display/preview", payload: {uri: command.uri, timeout: command.seconds ?? 10, animated: 0}};
    default: {
      // parseCommand admits only known names; never let another one become a topic.
      const topic = ownEntry(SIMPLE, command.command);
      if (!topic) throw badRequest(`Unknown command '${command.command}'`, "invalid_command");
      return {topic, payload: ""};
    }
  }
}

/**
 * What someone pressing Play means: carry on when paused, nothing when already playing, and when
 * stopped, start the card it played last where it was (the player keeps no card to resume).
 */
function playAgain(player: PlayerState): WireCommand | null {
  const pb = player.playback;
  if (pb.status === "playing" || pb.status === "loading") return null;
  if (pb.status === "paused" && pb.cardId) return {topic: "card/resume", payload: ""};
  const cardId = pb.cardId ?? pb.lastCardId;
  if (!cardId)
    throw new AppError(
      "nothing_to_play",
      `'${player.name}' has nothing to play again: no card has played on it since the service started; play a card`,
      {status: 409},
    );
  return {
    topic: "card/start",
    payload: {
      uri: cardUri(cardId),
      ...(pb.chapterKey ? {chapterKey: pb.chapterKey} : {}),
      ...(pb.chapterKey && pb.trackKey ? {trackKey: pb.trackKey} : {}),
      ...(pb.chapterKey && pb.trackKey && pb.position ? {secondsIn: Math.floor(pb.position)} : {}),
    },
  };
}

/**
 * The player has no "stop at the end of this track" command: as the Yoto integrations do, set
 * the sleep timer to what is left of the track, from the last position the player reported.
 */
function secondsToTrackEnd(player: PlayerState): number {
  const {status, trackLength, position} = player.playback;
  if (status !== "playing" || trackLength === undefined || position === undefined || trackLength <= 0)
    throw new AppError(
      "not_playing",
      `'${player.name}' is not playing a track whose length it reported, so there is no end of track to sleep at`,
      {status: 409},
    );
  return Math.max(1, Math.ceil(trackLength - position));
}

async function cardStart(
  player: PlayerState,
  command: Extract<PlayerCommand, {command: "play_card"}>,
  loadCard: LoadCard,
): Promise<Record<string, unknown>> {
  // Without a chapter or track the player starts the card itself: no keys needed, any card plays.
  const fromStart = command.chapter === undefined && command.track === undefined;
  const keys = fromStart
    ? {}
    : resolveKeys(
        await readCard(loadCard, command.cardId, `play ${describeStart(command)} on '${player.name}'`),
        command.chapter,
        command.track,
      );
  return {
    uri: cardUri(command.cardId),
    ...(keys.chapterKey !== undefined ? {chapterKey: keys.chapterKey} : {}),
    ...(keys.trackKey !== undefined ? {trackKey: keys.trackKey} : {}),
    ...(command.secondsIn !== undefined ? {secondsIn: Math.floor(command.secondsIn)} : {}),
  };
}

async function skip(player: PlayerState, step: 1 | -1, loadCard: LoadCard): Promise<Record<string, unknown>> {
  const current = playing(player);
  const card = await readCard(loadCard, current.cardId, `skip on '${player.name}'`);
  const target = neighbourTrack(card, current, step);
  if (target === "unknown")
    throw new AppError(
      "track_not_on_card",
      `Cannot skip on '${player.name}': it reports chapter '${current.chapterKey}' track '${current.trackKey}', which card '${card.title}' does not have`,
      {status: 409},
    );
  if (!target)
    throw new AppError(
      "no_track",
      `'${player.name}' is already on the ${step > 0 ? "last" : "first"} track of '${card.title}'`,
      {status: 409},
    );
  return {uri: cardUri(current.cardId), chapterKey: target.chapterKey, trackKey: target.trackKey};
}

/**
 * The card's content, whose keys are the only ones the player takes. Shop cards spell theirs like
 * `01-INT` or `02-1` (reference §10.9), so when the card cannot be read nothing is guessed: the
 * command is refused saying why. A card Yoto does not know is a 404; anything else, Yoto's fault.
 */
async function readCard(loadCard: LoadCard, cardId: string, doing: string): Promise<Card> {
  try {
    return await loadCard(cardId);
  } catch (err) {
    // Already a readable refusal (the account needs re-linking, say): pass it on as it is.
    if (err instanceof AppError) throw err;
    const missing = err instanceof YotoApiError && err.status === 404;
    throw new AppError(
      "card_unreadable",
      `Cannot ${doing}: the card '${cardId}' could not be read from Yoto (${errorMessage(err)}), so its chapter keys are unknown`,
      {status: missing ? 404 : 502, expose: true},
    );
  }
}

function describeStart(command: Extract<PlayerCommand, {command: "play_card"}>): string {
  const parts = [
    ...(command.chapter !== undefined ? [`chapter '${command.chapter}'`] : []),
    ...(command.track !== undefined ? [`track '${command.track}'`] : []),
  ];
  return parts.join(" ");
}

function playing(player: PlayerState): {cardId: string; chapterKey: string; trackKey: string} {
  const {cardId, chapterKey, trackKey} = player.playback;
  if (!cardId || chapterKey === undefined || trackKey === undefined)
    throw new AppError("nothing_playing", `Nothing is playing on '${player.name}'`, {status: 409});
  return {cardId, chapterKey, trackKey};
}

function cardUri(cardId: string): string {
  return `https://yoto.io/${cardId}`;
}
