/** Something the family can play, by its title and by its reference. */
export interface PlayChoice {
  kind: "card" | "group" | "story" | "stream" | "station" | "podcast" | "item";
  /** What plays it: a card id, a group id, a story id, a stream's name, a library item id. */
  id: string;
  title: string;
  /**
   * Set on a part of something else the family plays (a story's scene audio, its lullaby stream): the
   * title of what it is part of. Voice prefers what a family plays over the parts inside it.
   */
  partOf?: string;
  /**
   * Set on a card this service made to play one of its streams: the stream. Voice offers the stream
   * by its title instead ("Demo stream" and "demo" are one thing; "story-radio-ben" is Ben's story radio).
   */
  streamCard?: string;
}

/** Past this many library items (a huge library), the rest are not offered by title: an answer stays quick. */
export const MAX_CHOICES = 5000;

/**
 * Every way into a player. Each is one gate's caller, and the journal says which it was, in a
 * parent's words (`ROUTE_WORDS`). Story radio comes in as what it is played by: a child's page (or
 * its Home Assistant button, which plays the shelf's tile), voice, a cast.
 */
export type PlayRoute = "voice" | "page" | "upnp" | "media_player" | "command" | "rule";

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
  /** What was asked for, as the family calls it: a title, or what a control point sent. */
  what: string;
  /** The child whose page (or whose name) asked, when there is one: "tapped on Mia's page". */
  child?: string;
}
