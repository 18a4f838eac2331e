import {afterEach, describe, expect, it} from "vitest";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {checkDiscovery} from "../../helpers/haDiscoveryRules.js";
import {call} from "../../helpers/http.js";
import {discoveryPayloads, lastOnEveryTopic, linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {startEngine} from "../../helpers/rules.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const startLinked = linkedBridge();
let engine: Awaited<ReturnType<typeof startEngine>> | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

/** "Bedtime": the songs card and a story, as a family groups them in the Yoto app. */
function addBedtime(sim: YotoSimulator): void {
  sim.addCard({
    cardId: "tales",
    title: "Tales",
    content: {
      chapters: [
        {
          key: "01",
          title: "One",
          tracks: [{key: "01", title: "Tale", trackUrl: "yoto:#t", type: "audio", duration: 300}],
        },
      ],
    },
  });
  sim.addGroup("Bedtime", ["songs", "tales"]);
  sim.addGroup("Empty", []);
}

describe("Family library groups", () => {
  it("are a select on every player that plays a card from the group, never the last one twice", async () => {
    const {t, watcher: w} = await startLinked({prepare: addBedtime});
    const discovery = () => w.lastJson(`homeassistant/device/yoto_${LIVING}_yoto/config`);
    await waitFor(() => discovery()?.components?.play_group !== undefined, "the group select");
    expect(discovery().components.play_group).toMatchObject({
      platform: "select",
      name: "Play from a group",
      options: ["Bedtime", "Empty"],
      command_topic: `yoto/${LIVING}/set/card_group`,
    });
    const played: string[] = [];
    for (let i = 0; i < 4; i++) {
      const before = t.app.players.get(LIVING).playback.cardId;
      await w.client.publishAsync(`yoto/${LIVING}/set/card_group`, "Bedtime");
      await waitFor(() => {
        const now = t.app.players.get(LIVING).playback.cardId;
        return now !== null && now !== before;
      }, "a card from the group");
      played.push(t.app.players.get(LIVING).playback.cardId as string);
    }
    // Two cards, never the same twice in a row: they alternate.
    expect(new Set(played)).toEqual(new Set(["songs", "tales"]));
    for (let i = 1; i < played.length; i++) expect(played[i]).not.toBe(played[i - 1]);
    await waitFor(() => w.lastJson(`yoto/${LIVING}/card_group`)?.group === "Bedtime", "the select shows the group");

    await w.client.publishAsync(`yoto/${LIVING}/set/card_group`, "Bedtme");
    await waitFor(() => /Bedtme/.test(w.lastJson("yoto/bridge/response/player/set")?.error ?? ""), "the refusal");
    expect(w.lastJson("yoto/bridge/response/player/set").error).toBe(
      "No card group called 'Bedtme': did you mean 'Bedtime'?",
    );
    await w.client.publishAsync(`yoto/${LIVING}/set/card_group`, "Empty");
    await waitFor(() => /Empty/.test(w.lastJson("yoto/bridge/response/player/set")?.error ?? ""), "the empty group");
    expect(w.lastJson("yoto/bridge/response/player/set").error).toBe(
      "The group 'Empty' has no cards: add some in the Yoto app",
    );

    const last = lastOnEveryTopic(w);
    expect(checkDiscovery(discoveryPayloads(last), last)).toEqual([]);

    const groups = await call("GET", `${t.adminUrl}/api/account/groups`);
    expect(groups.body.groups).toEqual([
      {
        id: "grp1",
        name: "Bedtime",
        cards: [
          {cardId: "songs", title: "Songs"},
          {cardId: "tales", title: "Tales"},
        ],
      },
      {id: "grp2", name: "Empty", cards: []},
    ]);
    const first = await call("POST", `${t.adminUrl}/api/players/${LIVING}/commands`, {
      command: "play_group",
      group: "bedtime",
      pick: "first",
    });
    expect(first.status).toBe(200);
    await waitFor(() => t.app.players.get(LIVING).playback.cardId === "songs", "the group's first card");
  });

  it("play from rules: player.play_card with group and pick, checked when the rules load", async () => {
    const {t} = await startLinked({prepare: addBedtime});
    await waitFor(() => t.app.players.list().length === 2, "the players");
    const rule = (action: string) =>
      `- id: r\n  triggers:\n    - trigger: time\n      at: "07:00"\n  actions:\n    - action: player.play_card\n      player: Living Room\n${action}`;
    engine = await startEngine(
      {
        "ok.yaml": rule("      group: Bedtime\n      pick: first\n"),
        "both.yaml": rule("      card: Songs\n      group: Bedtime\n").replace("id: r", "id: both"),
        "pick.yaml": rule("      card: Songs\n      pick: random\n").replace("id: r", "id: pick"),
      },
      {services: {players: t.app.players}},
    );
    expect(engine.engine.errors().map((e) => e.text.replace(/^\S+ /, ""))).toEqual([
      "[0].actions[0] give either 'card' (a card's id or title) or 'group' (a family library group's name, with pick: random or first)",
      "[0].actions[0] 'pick' goes with 'group' (which of its cards to play)",
    ]);
    await engine.engine.run("r");
    await waitFor(() => t.app.players.get(LIVING).playback.cardId === "songs", "the group's first card from the rule");
  });
});
