import {Logger} from "../../src/core/logger.js";
import {GatedPlayers} from "../../src/gate/gatedPlayers.js";
import {PlayGate} from "../../src/gate/playGate.js";
import type {PlayerCommand} from "../../src/yoto/commands.js";
import type {YotoPlayers} from "../../src/yoto/players.js";

/**
 * A command sent to the players themselves, below the play gate, with an admission their own
 * Admissions issued: what the gate hands on once it let a start through (these tests drive the
 * players' model and wire, not the family's plan).
 */
export async function sendAdmitted(players: YotoPlayers, ref: string, command: PlayerCommand) {
  return players.command(ref, command, players.admissions.issue(players.get(ref).id));
}

/**
 * The players behind a gate whose plan never holds anyone: for a test of a face (the bridge, the
 * media players) that is not about the family plan. Starts still pass the gate and carry its admission.
 */
export function openGate(players: YotoPlayers): GatedPlayers {
  const gate = new PlayGate({
    admissions: players.admissions,
    refusal: () => undefined,
    held: () => undefined,
    journal: async () => undefined,
    cloudConnected: () => players.cloud.state === "connected",
    log: new Logger({level: "error"}),
    now: Date.now,
  });
  return new GatedPlayers(players, gate);
}
