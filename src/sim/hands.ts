import type {VirtualHands} from "../shared/api/virtualPlayers.js";
import type {YotoSimulator} from "./simulator.js";

/** The simulator's players as the admin API's `VirtualHands`: the demo panel's buttons, knob and card slot. */
export function simulatorHands(sim: YotoSimulator): VirtualHands {
  return {
    list: () => [...sim.players.values()].map((p) => ({id: p.spec.deviceId, name: p.spec.name})),
    press: (id, button) => (button === "left" ? sim.player(id).pressLeft() : sim.player(id).pressRight()),
    turnKnob: (id, steps) => sim.player(id).turnKnob(steps),
    insertCard: (id, cardId) => sim.player(id).insertCard(cardId),
    removeCard: (id) => sim.player(id).removeCard(),
    finishTrack: (id) => sim.player(id).finishTrack(),
  };
}
