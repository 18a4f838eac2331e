/**
 * Listening history as the admin API answers it (`GET /api/history`, `GET /api/history/sessions`)
 * and as rules read it. Times are ISO strings; dates are `YYYY-MM-DD` in the service's time zone.
 */

/** One stretch of listening: a card playing on a player, until it paused, stopped, changed or went quiet. */
export interface ListeningSession {
  id: number;
  playerId: string;
  /** The player's name when it played. */
  player: string;
  cardId: string | null;
  /** The card's title when the family's card list knows it. */
  cardTitle?: string;
  chapterTitle?: string;
  startedAt: string;
  /** For an open session: the last moment it was known to be playing. */
  endedAt: string;
  seconds: number;
  /** Still playing now. */
  open: boolean;
}

/** Seconds listened on one day, per player id. */
export interface HistoryDay {
  date: string;
  seconds: Record<string, number>;
}

/** `GET /api/history?days=14&player=…`: per day and per player, oldest day first. */
export interface HistorySummary {
  timeZone: string;
  /** First and last date shown, inclusive. */
  from: string;
  to: string;
  players: Array<{id: string; name: string}>;
  days: HistoryDay[];
  /** Seconds listened today per player id, an open session counted up to its last message. */
  today: Record<string, number>;
  /** Sessions older than this many days are deleted. */
  retentionDays: number;
}

/** `GET /api/history/sessions?player=&from=&to=&limit=`: newest first. */
export interface HistorySessions {
  sessions: ListeningSession[];
}

/** Live event `history.changed`: a session closed, or once a minute while a player plays. */
export interface HistoryChanged {
  playerId: string;
  player: string;
  todaySeconds: number;
}
