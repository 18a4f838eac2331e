import type {Admission} from "../yoto/admission.js";

/**
 * Every way into a player. Each is one gate's caller, and the journal says which it was, in a
 * parent's words (`ROUTE_WORDS` in routeWords.ts). Story radio comes in as what it is played by: a
 * child's page, Home Assistant's shelf select, voice, a cast.
 */
export type PlayRoute =
  | "voice"
  | "assistant"
  | "page"
  | "shelf_select"
  | "upnp"
  | "media_player"
  | "bridge"
  | "api"
  | "rule"
  | "story";

/** What came of asking to play: the same five words on every route. */
export type PlayOutcome = "played" | "pending" | "refused" | "offline" | "failed";

export interface GateAnswer {
  outcome: PlayOutcome;
  /** The sentence for a parent or a screen (voice says its own, in the family's language). */
  text: string;
  /**
   * Refused: why the plan holds the player (bedtime, the day's listening, quiet hours), and until when.
   * Offline: Yoto's cloud out of reach, or the player.
   */
  reason?: "bedtime" | "budget" | "quiet" | "cloud" | "player";
  until?: number;
  /** For a failure: what went wrong. */
  error?: string;
}

/** A request to play something, as the gate is asked it. */
export interface PlayRequest {
  route: PlayRoute;
  /**
   * What was asked for, as the family calls it: a title, or what a control point sent. Left out for
   * a player command, the gate names it from the command (the card's title, "Next").
   */
  what?: string;
  /** The child whose page (or whose name) asked, when there is one: "tapped on Mia's page". */
  child?: string;
  /** Who asked on that route, when it says more: the rule ("started by the rule 'bedtime'"), the assistant. */
  by?: string;
}

/**
 * How a start passes the gate: asked now (a request, refused with 409 while the plan holds the
 * player), or already let through (an admission the gate issued, as the catalogue's play holds
 * after `gate.play`). Every method that starts sound takes one, so a caller cannot leave it out.
 */
export type Start = PlayRequest | Admission;

/** Whether a start is a request still to be asked (the other is an admission). */
export function isRequest(start: Start): start is PlayRequest {
  return "route" in start;
}
