import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
import {capabilitiesOf} from "../yoto/capabilities.js";
import type {PlayerState} from "../yoto/playerModel.js";

/** The ring dark: what a sleep sound's light goes back to when it ends. */
export const LIGHT_OFF = "#000000";

/**
 * The light ring at a sleep sound's colour (or dark again), where the player has one: a Mini has
 * none, and is left as it is. Best effort: a light that could not be set is logged, and the sound
 * plays on. Answers whether the colour was asked for.
 */
export async function sleepLight(
  players: Pick<GatedPlayers, "command">,
  player: Pick<PlayerState, "id" | "name" | "family">,
  colour: string,
  log: Logger,
): Promise<boolean> {
  if (!capabilitiesOf(player.family).lightRing) {
    log.debug(`'${player.name}' has no light ring for a sleep sound's light`);
    return false;
  }
  try {
    await players.command(player.id, {command: "ambient", color: colour});
    return true;
  } catch (err) {
    log.warning(`The light of a sleep sound could not be set on '${player.name}' (${errorMessage(err)})`);
    return false;
  }
}
