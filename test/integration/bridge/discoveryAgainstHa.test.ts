import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {checkDiscovery} from "../../helpers/haDiscoveryRules.js";
import {discoveryPayloads, lastOnEveryTopic, linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;

const startLinked = linkedBridge();

describe("discovery checked against Home Assistant's rules, on the state it would render", () => {
  it("finds nothing wrong with any player or the bridge, idle, playing and with a card out", async () => {
    const {
      sim,
      t,
      watcher: w,
    } = await startLinked({
      prepare: (s) => {
        s.player(LIVING).config.alarms = ["1111100,07:15,4OD25,,,8,1"];
      },
    });
    await t.app.streams.replace("bedtime", []);
    await t.app.streams.definePreset("bedtime", "calm", []);
    await waitFor(
      () =>
        [LIVING, MINI].every((id) => w.lastJson(`homeassistant/device/yoto_${id}_yoto/config`)?.components?.play_card),
      "both players' discovery with the card picker",
    );
    await waitFor(() => w.lastJson(`yoto/${MINI}`)?.battery !== undefined, "the Mini's state");
    const idle = lastOnEveryTopic(w);
    expect(discoveryPayloads(idle).length).toBe(3);
    expect(checkDiscovery(discoveryPayloads(idle), idle)).toEqual([]);

    sim.player(LIVING).insertCard("songs");
    await waitFor(() => w.lastJson(`yoto/${LIVING}`)?.card_title === "Songs", "the card playing");
    await t.app.players.command(LIVING, {command: "ambient", color: "#884400"});
    await waitFor(() => w.lastJson(`yoto/${LIVING}`)?.lights.night_light.state === "on", "the night light on");
    const playing = lastOnEveryTopic(w);
    expect(checkDiscovery(discoveryPayloads(playing), playing)).toEqual([]);

    sim.player(LIVING).removeCard();
    await waitFor(() => w.lastJson(`yoto/${LIVING}`)?.card_id === null, "the card out");
    const out = lastOnEveryTopic(w);
    expect(checkDiscovery(discoveryPayloads(out), out)).toEqual([]);
  });
});
