import type {BonusRequest, FamilyChanged} from "../shared/api/family.js";

export type * from "../shared/api/family.js";

/** A step of the plan that rules carry out (the plan's generated rules listen for it). */
export interface FamilyStep {
  child: string;
  step: "transition" | "wind_down" | "warning" | "not_tonight";
  player: string;
  playerId: string;
  /** For the warning: whole minutes of today's budget left (the line says them). */
  minutesLeft?: number;
}

/** What the family plan tells the rest of the app. */
declare module "../core/events.js" {
  interface EventMap {
    /** A child's plan or today changed (minutes, quiet, bonus, request). */
    "family.changed": FamilyChanged;
    /** A child asked for one more story. */
    "family.requested": BonusRequest;
    /** A step of the evening or the budget is due: the plan's rules act on it. */
    "family.stepReached": FamilyStep;
    /** A child's sleep sound started or stopped. */
    "sleep.changed": {child: string};
  }
}
