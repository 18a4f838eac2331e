import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {checkDiscovery} from "../../helpers/haDiscoveryRules.js";
import {renderValueTemplate} from "../../helpers/haTemplates.js";
import {call} from "../../helpers/http.js";
import {discoveryPayloads, lastOnEveryTopic, linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();

describe("the family plan in Home Assistant", () => {
  it("adds entities per child and a listener select per shared player that pass HA's rules, and answers their presses", async () => {
    const {sim, t, watcher: w} = await startLinked();
    await waitFor(() => t.app.players.list().length === 2 && t.app.players.list().every((p) => p.settings), "players");
    const put = (name: string, body: unknown) => call("PUT", `${t.adminUrl}/api/children/${name}`, body);
    // A budget of 0 keeps Mia quiet from the start: the request and its answers can be tried now.
    expect((await put("Mia", {players: ["Bedroom Mini"], budget: {minutes: 0}, bonus: {minutes: 20}})).status).toBe(
      200,
    );
    const sleep = {sounds: ["library:not-there"]};
    expect((await put("Leo", {shared_players: ["Living Room"], budget: {minutes: 45}, sleep})).status).toBe(200);
    const bridgeTopic = "homeassistant/device/yoto_bridge_yoto/config";
    await waitFor(() => w.lastJson(bridgeTopic)?.components?.family_mia_request !== undefined, "Mia's entities");
    await waitFor(
      () => w.lastJson(`homeassistant/device/yoto_${LIVING}_yoto/config`)?.components?.listener,
      "the select",
    );
    await waitFor(() => w.lastJson("yoto/bridge/family")?.children?.Mia?.quiet === true, "Mia quiet");
    await waitFor(() => w.lastJson("yoto/bridge/week")?.children?.Leo !== undefined, "Leo's week");
    await waitFor(() => w.lastJson(bridgeTopic)?.components?.family_leo_sleep !== undefined, "Leo's sleep sound");
    const last = lastOnEveryTopic(w);
    expect(checkDiscovery(discoveryPayloads(last), last)).toEqual([]);
    const c = w.lastJson(bridgeTopic).components;
    expect(c.family_leo_minutes_left).toMatchObject({
      platform: "sensor",
      unit_of_measurement: "min",
      device_class: "duration",
    });
    // The week (every child) and the sleep sound (a child with sleep sounds: Leo, not Mia).
    expect(c.family_mia_week).toMatchObject({
      platform: "sensor",
      unit_of_measurement: "min",
      state_topic: "yoto/bridge/week",
    });
    expect(renderValueTemplate(c.family_mia_week.value_template, w.last("yoto/bridge/week") as string)).toBe("0");
    expect(
      JSON.parse(renderValueTemplate(c.family_leo_week.json_attributes_template, w.last("yoto/bridge/week") as string)),
    ).toMatchObject({
      minutes: 0,
      nights_up: 0,
      top: [],
    });
    expect([c.family_mia_sleep, c.family_leo_sleep?.payload_press]).toEqual([
      undefined,
      '{"child":"Leo","reason":"Home Assistant"}',
    ]);
    expect(renderValueTemplate(c.family_leo_sleep_playing.value_template, w.last("yoto/bridge/sleep") as string)).toBe(
      "OFF",
    );
    await w.client.publishAsync(c.family_leo_sleep.command_topic, c.family_leo_sleep.payload_press);
    await waitFor(() => w.last("yoto/bridge/response/family/sleep") !== undefined, "the sleep sound's answer");
    expect(w.lastJson("yoto/bridge/response/family/sleep")).toMatchObject({
      status: "ok",
      data: {
        outcome: "failed",
        text: "Leo's sleep sound 'library:not-there' is not there to play now: choose another on the Family page",
      },
    });
    expect(c.family_mia_request).toMatchObject({
      platform: "event",
      event_types: ["bonus_requested"],
      state_topic: "yoto/bridge/family/mia/event",
    });
    expect(w.lastJson(`homeassistant/device/yoto_${LIVING}_yoto/config`).components.listener).toMatchObject({
      platform: "select",
      options: ["Leo", "Mia"],
      command_topic: "yoto/bridge/request/family/listener",
    });
    expect(w.lastJson(`yoto/${LIVING}/listener`)).toEqual({child: "Leo", usual: "Leo"});

    // The child tries to play: the event entity fires with who, where and what.
    sim.player(MINI).insertCard("songs");
    await waitFor(() => w.lastJson("yoto/bridge/family/mia/event") !== undefined, "the bonus request event");
    expect(w.lastJson("yoto/bridge/family/mia/event")).toMatchObject({
      event_type: "bonus_requested",
      child: "Mia",
      player: "Bedroom Mini",
      card_id: "songs",
      reason: "budget",
    });
    await waitFor(
      () => w.lastJson("yoto/bridge/family")?.children?.Mia?.request === true,
      "the answer buttons available",
    );
    // Home Assistant presses Allow: the plan's 20-minute bonus starts.
    await w.client.publishAsync(c.family_mia_allow.command_topic, c.family_mia_allow.payload_press);
    await waitFor(() => w.last("yoto/bridge/response/family/allow") !== undefined, "the answer");
    expect(w.lastJson("yoto/bridge/response/family/allow")).toMatchObject({
      status: "ok",
      data: {name: "Mia", request: null, bonus: {minutes: 20}},
    });
    await waitFor(() => w.lastJson("yoto/bridge/family")?.children?.Mia?.quiet === false, "Mia no longer quiet");
    // Allow again: nothing waits, and the answer says so.
    await w.client.publishAsync(c.family_mia_allow.command_topic, c.family_mia_allow.payload_press);
    await waitFor(() => w.lastJson("yoto/bridge/response/family/allow")?.status === "error", "the refusal");
    expect(w.lastJson("yoto/bridge/response/family/allow").error).toBe("Mia has no request waiting for an answer");

    // The select: Mia borrows the Living Room.
    await w.client.publishAsync("yoto/bridge/request/family/listener", JSON.stringify({player: LIVING, child: "Mia"}));
    await waitFor(() => w.lastJson(`yoto/${LIVING}/listener`)?.child === "Mia", "the listener");
  }, 30_000);

  it("refuses a second child whose ids would clash with a first's, and gives names in another script ids of their own", async () => {
    const {t, watcher: w} = await startLinked();
    await waitFor(() => t.app.players.list().length === 2, "players");
    const put = (name: string, body: unknown) =>
      call("PUT", `${t.adminUrl}/api/children/${encodeURIComponent(name)}`, body);
    expect((await put("O'Brien", {players: ["Bedroom Mini"]})).status).toBe(200);
    const clash = await put("O Brien", {players: ["Living Room"]});
    expect(clash.status).toBe(409);
    expect(clash.body.error).toBe(
      "'O Brien' would share Home Assistant ids with the child 'O'Brien' (both 'o_brien'): choose another name",
    );
    // The same child by another case is a change to that child, not a clash.
    expect((await put("o'brien", {players: ["Bedroom Mini"], budget: {minutes: 30}})).status).toBe(200);
    expect((await call("DELETE", `${t.adminUrl}/api/children/O'Brien`)).status).toBe(204);

    // Names with nothing in a-z: each gets ids of its own, so both children have their entities.
    expect((await put("Маша", {players: ["Bedroom Mini"]})).status).toBe(200);
    expect((await put("Саша", {players: ["Living Room"]})).status).toBe(200);
    const bridgeTopic = "homeassistant/device/yoto_bridge_yoto/config";
    const named = () =>
      Object.entries(w.lastJson(bridgeTopic)?.components ?? {})
        .filter(([key]) => key.endsWith("_minutes_left"))
        .map(([key, c]) => [key, (c as {name: string}).name]);
    await waitFor(() => named().length === 2, "both children's minutes-left sensors");
    expect(named()).toEqual([
      [expect.stringMatching(/^family_child_[0-9a-f]{6}_minutes_left$/), "Маша minutes left"],
      [expect.stringMatching(/^family_child_[0-9a-f]{6}_minutes_left$/), "Саша minutes left"],
    ]);
    const topics = Object.values(w.lastJson(bridgeTopic).components)
      .filter((c) => (c as {platform: string}).platform === "event")
      .map((c) => (c as {state_topic: string}).state_topic);
    expect(new Set(topics).size).toBe(2);
    const last = lastOnEveryTopic(w);
    expect(checkDiscovery(discoveryPayloads(last), last)).toEqual([]);
  });

  it("takes the listener select and its retained topic off a player no longer shared, at once", async () => {
    const {t, watcher: w} = await startLinked();
    await waitFor(() => t.app.players.list().length === 2 && t.app.players.list().every((p) => p.settings), "players");
    const put = (body: unknown) => call("PUT", `${t.adminUrl}/api/children/Leo`, body);
    const livingDiscovery = () => w.lastJson(`homeassistant/device/yoto_${LIVING}_yoto/config`);
    expect((await put({players: ["Bedroom Mini"], shared_players: ["Living Room"]})).status).toBe(200);
    await waitFor(() => livingDiscovery()?.components?.listener !== undefined, "the select");
    expect((await put({players: ["Bedroom Mini"], shared_players: []})).status).toBe(200);
    await waitFor(() => livingDiscovery()?.components?.listener === undefined, "the select gone");
    expect(livingDiscovery().components.play).toBeDefined();
    // Its retained state is cleared too, so nothing stale is left on the broker.
    await waitFor(() => w.last(`yoto/${LIVING}/listener`) === "", "the listener topic cleared");
  });
});
