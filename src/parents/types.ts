import type {MaxVolumes, QuietChanged, QuietEnded, QuietHoursList, QuietView} from "../shared/api/quiet.js";

export type {MaxVolumes, QuietChanged, QuietEnded, QuietHoursList, QuietView};

/** What quiet hours tell the rest of the app. */
declare module "../core/events.js" {
  interface EventMap {
    /** A player's quiet hours started, moved, ended or wait to be undone (`until` absent: over). */
    "quiet.changed": QuietChanged;
  }
}

/** One player kept quiet: until when, and the max volumes it gets back then. Stored as is. */
export interface QuietPeriod {
  playerId: string;
  player: string;
  /** Epoch ms. */
  until: number;
  restore: MaxVolumes;
  /** The volume step set when quiet ends, so a player is never left at 0 (absent: left as it is). */
  volume?: number;
  /** The volume step the player had when quiet began. */
  before?: number;
  /**
   * Heard for a moment while quiet (a parent's announcement): the max volumes are back until the
   * lift is released. Saved before the player is touched, so a crash in between mutes it again on start.
   */
  lifted?: boolean;
}

/** A lift under way: `release` mutes the player again (unless quiet ended or began anew meanwhile). */
export interface QuietLift {
  until: number;
  /** The volume step to play at: the one the player had when quiet began (else about a third). */
  volumeStep: number;
  release(): Promise<void>;
}
