/** Quiet hours: which players are kept quiet, until when, and what ending them did. */

/** A player's day and night max volume, 0–16 hardware steps. */
export interface MaxVolumes {
  dayMaxVolume: number;
  nightMaxVolume: number;
}

/**
 * `quiet.changed`: a player's quiet hours started, moved, ended, or are over but waiting to be
 * undone. `until` is there while the player is kept quiet (its max volumes are still 0), absent
 * once they are back.
 */
export interface QuietChanged {
  playerId: string;
  player: string;
  until?: string;
}

/** One player in quiet hours, as the admin API and the panel see it. */
export interface QuietView {
  playerId: string;
  player: string;
  /** When quiet hours end (or ended, while `waiting`), ISO 8601. */
  until: string;
  /** The max volumes the player gets back. */
  restore: MaxVolumes;
  /** The volume step it gets then (so it is not left at 0). */
  volume?: number;
  /** Over, but the max volumes are not back yet: why (the player is offline, Yoto refused). */
  waiting?: string;
}

/** `GET /api/quiet-hours`: soonest end first. */
export interface QuietHoursList {
  quiet: QuietView[];
}

/** What ending quiet hours now did (`DELETE /api/players/<player>/quiet`, the HA button). */
export interface QuietEnded {
  playerId: string;
  player: string;
  restore: MaxVolumes;
  /** The volume step set once the max volumes are back. */
  volume?: number;
  /** The player has its max volumes back. */
  restored: boolean;
  /** Why not yet; the service keeps trying, as it does at a timed end. */
  waiting?: string;
}
