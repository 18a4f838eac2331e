import {writeFile} from "node:fs/promises";
import path from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {checkDiscovery} from "../../helpers/haDiscoveryRules.js";
import {type Icecast, startIcecast, until} from "../../helpers/icecast.js";
import {discoveryPayloads, lastOnEveryTopic, linkedBridge} from "../../helpers/linkedBridge.js";
import {streamView} from "../../helpers/radio.js";
import {systemNeed} from "../../helpers/testPrograms.js";

const ICECAST = systemNeed("icecast2");

let icecast: Icecast;
const start = linkedBridge();

describe.skipIf(!ICECAST.path)("a station in Home Assistant, rules and the listening history", () => {
  beforeAll(async () => {
    icecast = await startIcecast();
    await icecast.feed("kids");
    await icecast.setTitle("kids", "Old MacDonald");
  }, 60_000);
  afterAll(async () => {
    await icecast?.stop();
  });

  it("is set by a rule, shows its song on a sensor that passes HA's rules, and in the history of a player playing its card", async () => {
    const {sim, t, watcher: w} = await start({app: {linkToOwnAudioListener: true, radio: {lingerMs: 200}}});
    await writeFile(
      path.join(t.dataDir, "..", "rules", "radio.yaml"),
      `- id: tune_in
  triggers:
    - trigger: mqtt
      topic: test/radio
  actions:
    - action: stream.set_radio
      stream: kids
      url: "${icecast.url}/kids"
`,
    );
    await t.app.rules.reload();
    await w.client.publishAsync("test/radio", "go");
    await until(
      () => t.app.streams.has("kids") && t.app.streams.get("kids").radio?.url === `${icecast.url}/kids`,
      "the rule's station",
    );

    const discovery = "homeassistant/device/yoto_bridge_yoto/config";
    await until(() => w.lastJson(discovery)?.components?.radio_kids !== undefined, "the station's sensor");
    expect(w.lastJson(discovery).components.radio_kids).toMatchObject({
      platform: "sensor",
      default_entity_id: "sensor.yoto_smart_stream_radio_kids",
      name: "Radio kids",
    });

    // A card that streams the station, played by a player as Yoto's would: it fetches the stream.
    const made = await fetch(`${t.adminUrl}/api/cards`, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({from: "stream", stream: "kids", title: "Kids radio"}),
    });
    expect(made.status).toBe(201);
    const {card} = (await made.json()) as {card: {cardId: string}};
    sim.player(DEMO_PLAYERS[0]?.deviceId as string).insertCard(card.cardId);
    await until(async () => (await streamView(t, "kids")).radio.state === "playing", "the station playing", 20_000);
    await until(() => w.lastJson("yoto/bridge/info")?.radio?.kids?.now_playing === "Old MacDonald", "the song in HA");
    const last = lastOnEveryTopic(w);
    expect(checkDiscovery(discoveryPayloads(last), last)).toEqual([]);

    await until(
      async () => {
        const res = await fetch(`${t.adminUrl}/api/history/sessions`);
        const {sessions} = (await res.json()) as {sessions: Array<{cardId: string; chapterTitle?: string}>};
        return sessions.some((s) => s.cardId === card.cardId && s.chapterTitle === "Old MacDonald");
      },
      "the song in the listening history",
      20_000,
    );
  }, 60_000);
});
