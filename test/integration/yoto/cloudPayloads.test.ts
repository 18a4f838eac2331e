import {afterEach, describe, expect, it} from "vitest";
import {DEMO_PLAYERS, type YotoSimulator} from "../../../src/sim/simulator.js";
import {sendAdmitted} from "../../helpers/admitted.js";
import {addSongsCard, startSimulator} from "../../helpers/cloud.js";
import {type CloudStack, linkedCloud, waitFor} from "../../helpers/players.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
/** A real device id's shape: not only letters and digits. */
const DASHED = "y2P3y0gSbIMTq5Mux4vhI-XE";

let sim: YotoSimulator | undefined;
let stack: CloudStack | undefined;
afterEach(async () => {
  await stack?.stop();
  await sim?.stop();
  sim = stack = undefined;
});

const heard = (s: CloudStack, id: string) => () => {
  const p = s.players.list().find((x) => x.id === id);
  return p?.volume.level !== undefined && p.battery !== undefined;
};
const warnings = (s: CloudStack, text: string) => s.lines.filter((l) => l.includes(text) && /warn/i.test(l));
const debugs = (s: CloudStack, text: string) => s.lines.filter((l) => l.includes(text) && /debug/i.test(l));

describe("payloads as real players send them, through the simulated cloud", () => {
  it("reads JSON with bytes that are not UTF-8 leniently, skips what is not JSON, and carries on", async () => {
    sim = await startSimulator();
    stack = await linkedCloud(sim);
    await waitFor(heard(stack, LIVING), "the Living Room");
    await waitFor(heard(stack, MINI), "the Mini");
    const events = `device/${LIVING}/data/events`;
    // A live-radio title with a broken byte sequence inside a JSON string.
    const damaged = (title: string) =>
      Buffer.concat([
        Buffer.from(`{"playbackStatus":"playing","cardId":"radio","source":"remote","trackTitle":"${title} `),
        Buffer.from([0xc3, 0x28, 0xff]),
        Buffer.from(`","eventUtc":1767090000}`),
      ]);
    sim.broker.publish(events, damaged("Morning"));
    await waitFor(() => stack!.players.get(LIVING).playback.trackTitle?.startsWith("Morning") === true, "the title");
    // Only the events are checked: a new card makes the model ask the player for its status, and
    // the simulator's own answer (nothing in the slot, none active) may already have stopped it.
    expect(stack.players.get(LIVING).playback).toMatchObject({
      source: "remote",
      trackTitle: "Morning \uFFFD(\uFFFD",
    });
    sim.broker.publish(events, damaged("Evening"));
    await waitFor(() => stack!.players.get(LIVING).playback.trackTitle?.startsWith("Evening") === true, "the next one");

    // Bytes that are neither UTF-8 nor JSON: skipped.
    sim.broker.publish(`device/${LIVING}/data/status`, Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x81]));
    sim.broker.publish(`device/${LIVING}/data/status`, Buffer.from([0x80, 0x81]));
    await waitFor(() => stack!.players.stats.malformed >= 2, "the two skipped messages");

    expect(stack.players.stats).toMatchObject({notUtf8: 2, malformed: 2});
    const lenient =
      "A events message from 'Living Room' had bytes that are not UTF-8; read it with those bytes replaced";
    expect(warnings(stack, lenient)).toHaveLength(1);
    expect(debugs(stack, lenient)).toHaveLength(1);
    const skipped = "Ignored a status message from 'Living Room' because it is not JSON (nor valid UTF-8)";
    expect(warnings(stack, skipped)).toHaveLength(1);
    expect(debugs(stack, skipped)).toHaveLength(1);

    // The connection and the other players carry on.
    sim.player(MINI).turnKnob(2);
    await waitFor(() => stack!.players.get(MINI).volume.level === 10, "the Mini's next event");
    sim.player(LIVING).turnKnob(-3);
    await waitFor(() => stack!.players.get(LIVING).volume.level === 5, "the Living Room's next event");
    expect(stack.players.cloud.stats.connects).toBe(1);
  });

  it("reads an event once although players send it on two topics, and reads one sent on the legacy topic alone", async () => {
    sim = await startSimulator();
    stack = await linkedCloud(sim);
    await waitFor(heard(stack, LIVING), "the Living Room");
    const players = stack.players;
    const before = {...players.stats, level: players.get(LIVING).volume.level};
    let changes = 0;
    stack.bus.on(before, "player.changed", ({player, changed}) => {
      if (player.id === LIVING && changed.includes("volume")) changes++;
    });
    // The simulator, as a real player, sends the knob turn on data/events and again on events.
    sim.player(LIVING).turnKnob(1);
    await waitFor(() => players.get(LIVING).volume.level === (before.level ?? 0) + 1, "the turn");
    await waitFor(() => players.stats.duplicates > before.duplicates, "the copy on the legacy topic");
    expect(players.stats.duplicates - before.duplicates).toBe(1);
    expect(changes).toBe(1);

    // Firmware that only speaks the legacy topic is still heard.
    sim.broker.publish(`device/${LIVING}/events`, JSON.stringify({volume: 3, volumeMax: 16, eventUtc: 1767090000}));
    await waitFor(() => players.get(LIVING).volume.level === 3, "the legacy-only event");
    expect(players.stats.duplicates - before.duplicates).toBe(1);
  });

  it("drives a player whose id has a '-' end to end", async () => {
    sim = await startSimulator({
      players: [{deviceId: DASHED, name: "Attic", deviceType: "v3e", deviceFamily: "v3"}],
    });
    addSongsCard(sim);
    stack = await linkedCloud(sim);
    await waitFor(heard(stack, DASHED), "the Attic player's events and status");
    expect(sim.broker.refusals).toEqual([]);
    expect(stack.players.get(DASHED)).toMatchObject({id: DASHED, name: "Attic", type: "v3e", online: true});
    await sendAdmitted(stack.players, DASHED, {command: "play_card", cardId: "songs"});
    await waitFor(() => stack!.players.get(DASHED).playback.status === "playing", "playback on the Attic player");
    sim.player(DASHED).turnKnob(1);
    await waitFor(() => stack!.players.get(DASHED).volume.level === 9, "the knob");
  });

  it("shows an offline player's last known state from the config shadow, and survives a config that fails", async () => {
    sim = await startSimulator();
    sim.player(MINI).setOnline(false);
    stack = await linkedCloud(sim, {deviceRefreshMs: 200});
    const shadow = sim.player(MINI).fullStatus();
    await waitFor(() => stack!.players.get(MINI).battery !== undefined, "the Mini's shadow");
    expect(stack.players.get(MINI)).toMatchObject({
      online: false,
      battery: shadow.batteryLevel,
      nightlight: shadow.nightlightMode,
      powerSource: "battery",
      playback: {status: "stopped", cardId: null},
    });
    expect(stack.players.get(MINI).lastSeen).toEqual(expect.any(String));
    await waitFor(heard(stack, LIVING), "the Living Room");

    // A player added later whose config cannot be read: a warning, and everyone else carries on.
    stack.bus.on({}, "player.added", ({player}) => {
      if (player.id === "y9gone000000000000000000") sim!.removePlayer(player.id);
    });
    sim.addPlayer({deviceId: "y9gone000000000000000000", name: "Shed", deviceType: "v3", deviceFamily: "v3"});
    sim.player("y9gone000000000000000000").setOnline(false);
    const failed =
      "Could not read the settings and last known state of 'Shed' from Yoto (Yoto answered 404 to GET /device-v2/y9gone000000000000000000/config: ";
    await waitFor(() => warnings(stack!, failed).length === 1, "the warning about Shed");
    sim.player(LIVING).turnKnob(1);
    await waitFor(() => stack!.players.get(LIVING).volume.level === 9, "the Living Room's next event");
    expect(stack.players.get(MINI).online).toBe(false);
  });
});
