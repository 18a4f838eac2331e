import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {PlayerMutes} from "../../../src/yoto/playerMutes.js";
import {startSimulator} from "../../helpers/cloud.js";
import {type CloudStack, linkedCloud, waitFor} from "../../helpers/players.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;

let sim: YotoSimulator | undefined;
let stack: CloudStack | undefined;
afterEach(async () => {
  await stack?.stop();
  await sim?.stop();
  sim = stack = undefined;
});

async function start() {
  sim = await startSimulator();
  stack = await linkedCloud(sim);
  const s = stack;
  await waitFor(() => s.players.list().find((p) => p.id === LIVING)?.volume.level !== undefined, "the volume known");
  const level = () => s.players.get(LIVING).volume.level;
  return {sim, players: s.players, mutes: new PlayerMutes({players: s.players, bus: s.bus}), level};
}

describe("Muting a Yoto (it has only a volume)", () => {
  it("remembers the level, sets 0, and unmuting puts the level back", async () => {
    const {sim, mutes, level} = await start();
    sim.player(LIVING).setVolumePercent(63);
    await waitFor(() => level() === 10, "level 10");
    expect(mutes.muted(LIVING)).toBe(false);

    await mutes.mute(LIVING);
    expect(mutes.muted(LIVING)).toBe(true);
    await waitFor(() => sim.player(LIVING).volume === 0 && level() === 0, "volume 0 on the player");
    expect(mutes.muted(LIVING)).toBe(true);
    // Muting again keeps the level it first remembered, not the 0.
    await mutes.mute(LIVING);

    await mutes.unmute(LIVING);
    await waitFor(() => sim.player(LIVING).volume === 10 && level() === 10, "level 10 again");
    expect(mutes.muted(LIVING)).toBe(false);
    // Unmuting a player not muted leaves it as it is.
    await mutes.unmute(LIVING);
    expect(sim.player(LIVING).volume).toBe(10);
  });

  it("restores no more than the max volume in force when it unmutes", async () => {
    const {sim, players, mutes, level} = await start();
    sim.player(LIVING).setVolumePercent(88);
    await waitFor(() => level() === 14, "level 14");
    await mutes.mute(LIVING);
    await waitFor(() => level() === 0, "muted");

    const living = sim.player(LIVING);
    living.config.maxVolumeLimit = "6";
    living.config.nightMaxVolumeLimit = "6";
    living.configChanged();
    await waitFor(() => players.get(LIVING).volume.max === 6, "a max volume of 6");
    expect(mutes.muted(LIVING)).toBe(true);

    await mutes.unmute(LIVING);
    await waitFor(() => level() === 6, "the max, not 14");
    expect(sim.player(LIVING).volume).toBe(6);
  });

  it("ends when a level is set elsewhere: unmuting then changes nothing", async () => {
    const {sim, mutes, level} = await start();
    sim.player(LIVING).setVolumePercent(50);
    await waitFor(() => level() === 8, "level 8");
    await mutes.mute(LIVING);
    await waitFor(() => level() === 0, "muted");

    // The knob turned up by a child.
    sim.player(LIVING).setVolumePercent(25);
    await waitFor(() => level() === 4, "level 4 from the knob");
    expect(mutes.muted(LIVING)).toBe(false);
    await mutes.unmute(LIVING);
    expect(sim.player(LIVING).volume).toBe(4);
  });

  it("refuses to mute a player whose volume is not known yet, saying why", async () => {
    const {players, mutes} = await start();
    const unknown = {
      get: (id: string) => {
        const p = players.get(id);
        return {...p, volume: {}};
      },
      command: players.command.bind(players),
    };
    await expect(new PlayerMutes({players: unknown}).mute(LIVING)).rejects.toThrow(
      "'Living Room' has not reported its volume yet, so there is no level to come back to: try again once it has",
    );
    expect(mutes.muted(LIVING)).toBe(false);
  });
});
