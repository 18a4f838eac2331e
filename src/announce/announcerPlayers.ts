import type {GatedPlayers} from "../gate/gatedPlayers.js";
import type {Admission} from "../yoto/admission.js";

/** The players as the announcer holds them: a start passes the play gate, or carries its admission. */
export type AnnouncerPlayers = Pick<GatedPlayers, "get" | "command" | "admit">;

/**
 * The play gate's admission for the announcer's own starts: an announcement (its own rule for quiet,
 * `in_quiet`) and the card it puts back after it, which are not starts the family plan decides.
 */
export type OwnStart = (playerId: string) => Admission;
