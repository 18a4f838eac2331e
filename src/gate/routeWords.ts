import type {PlayRequest, PlayRoute} from "./types.js";

/**
 * How each route asked, in a parent's words, for the journal ("'Songs', tapped on Mia's page, was
 * not played: …") and the docs' table of routes (docs/family-plan.md is checked against it).
 */
export const ROUTE_WORDS: Readonly<Record<PlayRoute, (asked: Pick<PlayRequest, "child" | "by">) => string>> = {
  voice: () => "asked for by voice",
  assistant: ({by}) => (by ? `asked by the assistant '${by}'` : "asked by an assistant"),
  page: ({child}) => (child ? `tapped on ${child}'s page` : "tapped on a child's page"),
  shelf_select: ({child}) =>
    child ? `chosen from ${child}'s shelf in Home Assistant` : "chosen from a child's shelf in Home Assistant",
  upnp: () => "cast from Home Assistant, Music Assistant or another app",
  media_player: () => "sent from Home Assistant's media player",
  bridge: () => "sent over MQTT (a Home Assistant button, script or automation)",
  api: () => "sent from the panel or the API",
  rule: ({by}) => (by ? `started by the rule '${by}'` : "started by a rule"),
  story: () => "played by a story as it went on",
};

/** What each route is, for the docs' table: the route as a family meets it. */
export const ROUTE_NAMES: Readonly<Record<PlayRoute, string>> = {
  voice: "Voice (Home Assistant's sentence triggers and scripts)",
  assistant: "An assistant (MCP: Home Assistant's conversation agents, any MCP client)",
  page: "A child's page (a tablet, a device link)",
  shelf_select: "A child's shelf in Home Assistant (its select, its story radio button)",
  upnp: "A cast (UPnP/DLNA: Home Assistant, Music Assistant, an app)",
  media_player: "Home Assistant's media player (play_media, Play, Next)",
  bridge: "MQTT commands and requests (Home Assistant's buttons, scripts, automations)",
  api: "The panel and the API (player commands, streams, stories)",
  rule: "A rule's action (player.*, story.*)",
  story: "A story going on by itself (the next scene, a button in a story)",
};
