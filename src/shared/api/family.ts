/**
 * The family plan: each child, the players they use, their weekly bedtimes, listening budget and
 * bonuses ("one more story"), and what today looks like for them. docs/family-plan.md, "Family plan".
 */

export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

/** One evening: quiet from `bedtime` until `wake` (the next morning when wake is earlier). "HH:MM". */
export interface Night {
  bedtime: string;
  wake: string;
}

/** A date that differs from the week: no quiet at all (`quiet: false`), or other times. */
export interface NightOverride {
  /** The evening's date, YYYY-MM-DD. */
  date: string;
  quiet?: false;
  bedtime?: string;
  wake?: string;
  /** Why, as the parent wrote it ("sleepover"). */
  note?: string;
}

/** What `PUT /api/children/<name>` takes, and `plan` in what GET answers (players by name). */
export interface ChildPlan {
  /** Players this child uses, by name or id; each belongs to one child. */
  players: string[];
  /** Players the child usually has but others borrow (the car Mini): a "Who is listening" select each. */
  shared_players?: string[];
  /** Age band in years, "3-5". */
  age?: string;
  budget?: {
    /** Minutes a day. */
    minutes: number;
    /** Other minutes on some days. */
    weekdays?: Partial<Record<Weekday, number>>;
  };
  /** The evening of each weekday: `mon` is Monday evening to Tuesday morning. A day left out has no quiet. */
  schedule?: Partial<Record<Weekday, Night>>;
  overrides?: NightOverride[];
  /** Before bedtime, all optional: a transition card or stream, then a wind-down of the volume. */
  bedtime?: {
    /** `card`: a card id or exact title, as `player.play_card` takes. */
    transition?: {card?: string; stream?: string; minutes_before: number};
    wind_down?: {minutes: number; volume?: number};
  };
  /** Volume step (0–16) the players get back when quiet ends in the morning. Default 8. */
  morning_volume?: number;
  bonus?: {
    /** What Allow and the bonus button grant. Default 15. */
    minutes?: number;
    /** Bonuses a day. Default 3. */
    daily_cap?: number;
    /** "One more story" said to Home Assistant: `ask` a parent (the default), or `grant` it at once (up to the cap). */
    voice?: "ask" | "grant";
    /**
     * "One more story" asked by an assistant (MCP): `ask` a parent (the default, whatever `voice`
     * says), or `grant` it at once (up to the cap).
     */
    assistant?: "ask" | "grant";
  };
  /** Warned this many minutes before the budget is used (default 10); `say` is spoken on the player. */
  warning?: {minutes?: number; say?: string};
  /** Spoken on the player when a parent answers "Not tonight". */
  not_tonight?: {say?: string};
  /**
   * What the child may choose on its own page, in order: a card id or title (or `card:<id or title>`),
   * `group:<name>`, `story:<id or title>`, `stream:<name>` (stations and podcasts are streams),
   * `library:<item id>`, and `story-radio` for the child's story radio. At most 100.
   */
  shelf?: string[];
  /** What may play at night when the child cannot sleep, and how (docs/family-plan.md, "At night"). */
  sleep?: SleepPlan;
}

/**
 * A child's sleep sounds: the one kind of start the plan lets through at bedtime and in quiet
 * hours, within these limits, and never counted in the day's listening.
 */
export interface SleepPlan {
  /** What may play, the first by default: `stream:<name>` (a stream or a station), `library:<item id>`, or a card. 1 to 10. */
  sounds: string[];
  /** The volume step (1–16) it plays at; the player's max volumes are held there while it plays. Default 4. */
  volume?: number;
  /** How long it plays, in minutes; left out, until the night's wake. */
  minutes?: number;
  /** How many may start in one night. Default 3. */
  per_night?: number;
  /** The light ring's colour while it plays, "#rrggbb" (a Mini has none); dark again when it ends. */
  light?: string;
}

/** A sleep sound playing now, or the last one tonight, as `GET /api/children/<name>/sleep` says it. */
export interface SleepRunView {
  sound: string;
  title: string;
  player: string;
  /** Why it was started, as the house or a parent said it ("Mia is up"). */
  reason: string;
  by: string;
  started_at: string;
  /** When it stops by itself (its timer, or the wake): null when nothing ends it but a parent. */
  until: string | null;
  /** Started while the plan held the player (bedtime, quiet hours): the night's limits hold it. */
  night: boolean;
  ended_at: string | null;
  /** Why it stopped ("its 20 minutes were up", "wake", "a parent stopped it"). */
  ended: string | null;
}

/** `GET /api/children/<name>/sleep`: the sound playing, tonight's starts and what is left. */
export interface SleepState {
  child: string;
  playing: SleepRunView | null;
  /** The evening the night's count is for, YYYY-MM-DD. */
  evening: string;
  tonight: SleepRunView[];
  /** Starts left tonight; null without sleep sounds in the plan. */
  left: number | null;
}

/** A title a child listened to, and for how long (whole minutes). */
export interface WeekTitle {
  title: string;
  minutes: number;
}

/** A wake in the night: a sleep sound started, why, and how long it played. */
export interface NightWake {
  at: string;
  reason: string;
  sound: string;
  minutes: number;
}

/** One day of a child's week: its listening (by the calendar date) and the night that began that evening. */
export interface WeekDay {
  date: string;
  weekday: Weekday;
  /** Minutes listened that day, on the child's players (night sleep sounds left out). */
  minutes: number;
  /** The plan's budget for that weekday, in minutes; null without one. */
  budget: number | null;
  /** The day's most listened titles, at most three. */
  top: WeekTitle[];
  /** Plays refused by the plan (bedtime, quiet hours, the day used up), by the evening they belong to. */
  refusals: number;
  /** "One more story" asks, by the evening they belong to. */
  asks: number;
  /** The night that began this evening (after midnight too): each wake, and the sleep sounds' minutes. */
  night: {wakes: NightWake[]; sleep_minutes: number};
}

/** `GET /api/children/<name>/week`: the last seven days, oldest first, today last. */
export interface ChildWeek {
  child: string;
  timeZone: string;
  from: string;
  to: string;
  days: WeekDay[];
  /** The week's minutes and its most listened titles (at most five). */
  minutes: number;
  top: WeekTitle[];
}

/** `POST /api/children/<name>/sleep`: what came of it, in the play gate's words. */
export interface SleepAnswer {
  outcome: "played" | "pending" | "refused" | "offline" | "failed";
  text: string;
  sleep?: SleepRunView;
  /** The child's sound was playing already: nothing new started, none counted. */
  already?: true;
}

/** A bonus under way. */
export interface BonusView {
  granted_at: string;
  /** ISO end; for `end_of_track`, the latest it may last. */
  until: string;
  minutes?: number;
  end_of_track?: boolean;
  by: string;
}

/** The child asked (a play attempt in quiet hours or over budget). */
export interface BonusRequest {
  id: string;
  child: string;
  player: string;
  playerId: string;
  card?: string;
  cardId?: string;
  reason: "bedtime" | "budget";
  at: string;
  expires_at: string;
}

/** One thing that happened today: a bonus granted, a request made or answered, the budget warned or reached. */
export interface FamilyJournalEntry {
  at: string;
  child: string;
  what:
    | "bonus"
    | "request"
    | "allowed"
    | "not_tonight"
    | "expired"
    | "warning"
    | "budget_reached"
    | "bedtime"
    | "wake"
    /** Something asked a player to play while the plan held it quiet (a DLNA Play), and was told no. */
    | "refused"
    /** A parent ended the plan's quiet early (End now, Home Assistant's End quiet hours). */
    | "ended"
    /** A cast (Music Assistant's queue…) ended that no one ended there: an announcement could not put it back. */
    | "cast_ended"
    /** A stream of the child's story radio's name was there before (made by hand, by an older version): story radio took it over. */
    | "story_radio_took_over"
    /** A sleep sound started (why, in `text`: "Mia is up: 'Rain' for 20 minutes"). */
    | "sleep"
    /** A sleep sound stopped: after its minutes, at wake, or by a parent (`minutes` it played). */
    | "sleep_ended";
  text: string;
  /** For `sleep_ended`: whole minutes it played. */
  minutes?: number;
}

/**
 * A part of a child's journal as a family tells the day: nights run from the evening's first step
 * (transition, wind-down or bedtime) until wake, after midnight too; days from wake to evening.
 */
export interface JournalPart {
  /**
   * `tonight`: the night under way, from its evening until now; `today`: since the last wake (or
   * midnight) until the evening; `last_night`: the night that ended at this morning's wake.
   */
  part: "tonight" | "today" | "last_night";
  /** Oldest first. */
  entries: FamilyJournalEntry[];
}

/** One step of an evening, as it will happen (or did). */
export interface TimelineStep {
  step: "transition" | "wind_down" | "bedtime" | "wake";
  at: string;
  /** The wind-down's end. */
  until?: string;
  text: string;
}

export interface PlayerOfChild {
  id: string;
  name: string;
  shared: boolean;
  /** For a shared player: whether this child is the one listening now. */
  listening: boolean;
}

/** One child in `GET /api/children`. */
export interface ChildView {
  name: string;
  plan: ChildPlan;
  players: PlayerOfChild[];
  date: string;
  /**
   * Tonight's evening, YYYY-MM-DD: after midnight, yesterday's until the night's wake. A date that
   * differs from the week set for it is tonight's; none before it is taken.
   */
  evening: string;
  minutes_used: number;
  /** Today's budget with today's bonus minutes (`bonus_minutes`) added; null without a budget. */
  minutes_budget: number | null;
  /** Minutes of bonuses granted today. */
  bonus_minutes: number;
  /** null without a budget; includes a running bonus. */
  minutes_left: number | null;
  /** Quiet (bedtime or budget) until then, ISO; null when the child may listen. */
  quiet_until: string | null;
  quiet_reason: "bedtime" | "budget" | null;
  bonus: BonusView | null;
  bonuses_today: number;
  bonuses_left: number;
  request: BonusRequest | null;
  /** This evening's steps (or the next evening's, once tonight's wake has passed). */
  tonight: TimelineStep[];
  /**
   * The evening `tonight`'s steps are for, YYYY-MM-DD: `evening` when tonight has a night planned,
   * else the next evening that has one (the Family page names it); null when none is planned.
   */
  tonight_evening: string | null;
  /** Today's entries by the calendar date. */
  journal: FamilyJournalEntry[];
  /**
   * The journal by night and day, in the order to show them: while a night is under way (after
   * midnight too) `tonight`, then `today` before midnight; during the day `today`, then
   * `last_night` when the night that ended this morning has entries.
   */
  journal_by_night: JournalPart[];
}

export interface ChildrenList {
  children: ChildView[];
  timeZone: string;
  /** Shared players and who is listening on each. */
  listeners: Array<{playerId: string; player: string; child: string; usual: string}>;
}

/** `POST /api/children/<name>/bonus`. */
export interface BonusGrant {
  minutes?: number;
  until?: "end_of_track";
}

/** `family.changed`: something about a child changed (plan, today, request). */
export interface FamilyChanged {
  child: string;
}
