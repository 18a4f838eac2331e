import type {PictureSource} from "./pictures.js";

/**
 * The child's corner: a shelf of things a child may choose, by pictures, on a page of its own
 * (docs/child.md, "The child's corner").
 */

/** What a shelf item is, as the page draws it. `story_radio`: the child's own endless programme. */
export type ShelfKind = "card" | "group" | "story" | "stream" | "station" | "podcast" | "item" | "story_radio";

/** One thing on a child's shelf (a card group shows as its cards). */
export interface ShelfItem {
  /** What `POST …/shelf/play` takes: `card:<id>`, `stream:<name>`, `library:<id>`, `story:<id>`, `story-radio`. */
  id: string;
  kind: ShelfKind;
  title: string;
  /**
   * Its picture, relative to the panel's address, always from the service's own origin: one a
   * parent chose, a card's art, a story's icon, else a drawing of a word of its title. No two
   * items of one shelf have the same.
   */
  cover: string;
  /** Where the picture comes from. */
  picture: PictureSource;
  /** The shelf reference as the plan holds it (for a group's card, the group's). */
  ref: string;
  /** A card shown because its group is on the shelf: the group's name. */
  group?: string;
}

/** A shelf reference the child's page leaves off (it names nothing there is now, or what is on the shelf already): shown to a parent. */
export interface ShelfMissing {
  ref: string;
  /** Why, in a parent's words. */
  why: string;
}

/** What the child's player is doing, as the page shows it. */
export interface ShelfPlayer {
  id: string;
  name: string;
  online: boolean;
  status: "playing" | "paused" | "stopped" | "loading" | "unknown";
  /** What plays, when the shelf or the cards know its title. */
  title: string | null;
  cover: string | null;
  /** The shelf item playing now, if it is one. */
  item: string | null;
  /** The card in the player now (any card, on the shelf or not). */
  card_id: string | null;
  /** A card with more than one chapter or track: next may be pressed. */
  can_next: boolean;
  /** Volume in the player's steps (0–16), and the most the parents allow now. */
  volume: number | null;
  max_volume: number;
}

/** Why the page sleeps (no play): bedtime or the day's listening used up, until when. */
export interface ShelfSleep {
  reason: "bedtime" | "budget" | "quiet";
  /** ISO. */
  until: string;
  /** The clock the page draws, in the family's zone: hour 0–23, minute. */
  hour: number;
  minute: number;
  /**
   * The child's sleep sound (the moon plays it): `ready` to start, `playing` now, `used` (tonight's
   * are used up, or the day's listening is what holds the player); null without sleep sounds in the plan.
   */
  sound: "ready" | "playing" | "used" | null;
}

/** The child's "one more story": not asked, waiting for a parent, or answered. */
export interface ShelfAsk {
  state: "none" | "waiting" | "allowed" | "not_tonight" | "cap";
  /** Extra stories left today. */
  left: number;
}

/** `GET /api/children/<name>/shelf`. */
export interface ChildShelf {
  child: string;
  /** The shelf now: what the child may play (missing references left off). */
  items: ShelfItem[];
  /** References that name nothing (a parent sees them on the Family page). */
  missing: ShelfMissing[];
  /** The player the child is on now, or null without one. */
  player: ShelfPlayer | null;
  /** Whether a tap plays now (not asleep, a player online). */
  playable: boolean;
  sleep: ShelfSleep | null;
  ask: ShelfAsk;
}

/** `POST /api/children/<name>/shelf/play`. */
export interface ShelfPlay {
  id: string;
}

/** What a tap, a control or "one more story" got. */
export interface ShelfAnswer {
  outcome:
    | "played"
    | "paused"
    | "pending"
    | "busy"
    | "asleep"
    | "offline"
    | "failed"
    | "done"
    | "asked"
    | "waiting"
    | "cap";
  /** A short sentence for a parent reading the log (the page draws pictures). */
  text: string;
}

/** `POST /api/children/<name>/shelf/control`. */
export interface ShelfControl {
  action: "pause" | "resume" | "next" | "volume";
  /** For `volume`: steps, 0–16 (kept within the max volume in force). */
  volume?: number;
}

/** `GET /api/shelf/choices`: everything a parent may put on a shelf, by its reference. */
export interface ShelfChoice {
  ref: string;
  kind: Exclude<ShelfKind, "story_radio">;
  title: string;
}
