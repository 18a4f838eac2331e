import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {parseCommand} from "../../../src/yoto/commands.js";
import {checkDiscovery} from "../../helpers/haDiscoveryRules.js";
import {renderValueTemplate} from "../../helpers/haTemplates.js";
import {jsonOf} from "../../helpers/http.js";
import {discoveryPayloads, lastOnEveryTopic, linkedBridge, type Watcher} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

/*
 * The controls Home Assistant Core's own yoto integration has, here as MQTT entities: the
 * Bluetooth and headphone-limit switches (the player's config), what holds the card slot, and
 * the firmware as an update entity.
 */
const LIVING = DEMO_PLAYERS[0]!.deviceId;
const startLinked = linkedBridge();

const discovery = (w: Watcher) => w.lastJson(`homeassistant/device/yoto_${LIVING}_yoto/config`).components;
const state = (w: Watcher) => w.lastJson(`yoto/${LIVING}`);
/** What HA shows for one of the player's entities: its value_template on the last state. */
const rendered = (w: Watcher, key: string) =>
  renderValueTemplate(discovery(w)[key].value_template as string, w.last(`yoto/${LIVING}`) as string).trim();

const post = (url: string, body: unknown) =>
  fetch(url, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});

describe("Home Assistant Core's controls over MQTT", () => {
  it("switches Bluetooth and the headphone limit in the player's config, over MQTT and HTTP, keeping every other key", async () => {
    const {
      sim,
      t,
      watcher: w,
    } = await startLinked({
      prepare: (s) => {
        // Set in the Yoto app: a write that left them out would reset them to the firmware's defaults.
        Object.assign(s.player(LIVING).config, {locale: "fr", maxVolumeLimit: "11", nightTime: "18:45"});
        s.player(LIVING).config.alarms = ["1111100,07:15,4OD25,,,8,1"];
      },
    });
    const config = () => sim.player(LIVING).config;
    await waitFor(() => state(w)?.settings?.bluetooth === true, "Bluetooth read as on");
    expect(state(w).settings).toMatchObject({bluetooth: true, headphones_volume_limited: true});
    expect([rendered(w, "bluetooth"), rendered(w, "headphones_volume_limited")]).toEqual(["ON", "ON"]);
    const before = structuredClone(config());

    // What HA's switch publishes on its command topic.
    await w.client.publishAsync(discovery(w).bluetooth.command_topic, "OFF");
    await waitFor(() => state(w)?.settings.bluetooth === false, "Bluetooth off");
    expect(config()).toEqual({...before, bluetoothEnabled: "0"});
    expect(rendered(w, "bluetooth")).toBe("OFF");

    // The player's JSON set payload.
    await w.client.publishAsync(`yoto/${LIVING}/set`, JSON.stringify({headphones_volume_limited: false}));
    await waitFor(() => state(w)?.settings.headphones_volume_limited === false, "the headphone limit off");
    expect(config()).toEqual({...before, bluetoothEnabled: "0", headphonesVolumeLimited: false});
    expect(rendered(w, "headphones_volume_limited")).toBe("OFF");

    // The admin API's settings command puts both back as Yoto keeps them: a text and a boolean.
    const commands = `${t.adminUrl}/api/players/${LIVING}/commands`;
    const on = await post(commands, {command: "settings", bluetooth: true, headphones_volume_limited: "ON"});
    expect(await jsonOf(on)).toEqual({
      ok: true,
      command: "settings",
      sent: {topic: "config", payload: {bluetoothEnabled: "1", headphonesVolumeLimited: true}},
    });
    expect(config()).toEqual(before);
    await waitFor(() => state(w)?.settings.bluetooth === true, "Bluetooth on again");

    // Refused before anything is written, saying what would do.
    const bad = await post(commands, {command: "settings", bluetooth: "maybe"});
    expect([bad.status, (await jsonOf(bad)).error]).toEqual([
      400,
      `'bluetooth' must be true or false (ON or OFF) (got "maybe")`,
    ]);
    await w.client.publishAsync(`yoto/${LIVING}/set/headphones_volume_limited`, "loud");
    await waitFor(
      () =>
        w.lastJson("yoto/bridge/response/player/set")?.error ===
        `'headphones_volume_limited' must be true or false (ON or OFF) (got "loud")`,
      "the refusal",
    );
    expect(config()).toEqual(before);
  });

  it("follows what holds the card slot: none, a card put in, taken out, one started from here", async () => {
    const {sim, t, watcher: w} = await startLinked();
    const slot = () => state(w)?.card_insertion;
    await waitFor(() => slot() === "none", "the empty slot");
    expect(discovery(w).card_insertion).toMatchObject({
      platform: "sensor",
      device_class: "enum",
      options: ["none", "physical", "remote", "streaming"],
    });
    sim.player(LIVING).insertCard("songs");
    await waitFor(() => slot() === "physical", "the card in the slot");
    expect(rendered(w, "card_insertion")).toBe("physical");
    sim.player(LIVING).removeCard();
    await waitFor(() => slot() === "none", "the slot empty again");
    await t.app.players.command(LIVING, parseCommand({command: "play_card", cardId: "songs"}), {route: "api"});
    await waitFor(() => slot() === "remote", "the card started from the add-on");
    expect(rendered(w, "card_insertion")).toBe("remote");
    const last = lastOnEveryTopic(w);
    expect(checkDiscovery(discoveryPayloads(last), last)).toEqual([]);
  });

  it("shows the installed firmware as an update entity HA gives a state, with nothing to install", async () => {
    const {watcher: w} = await startLinked();
    await waitFor(() => state(w)?.firmware === "v2.23.2", "the firmware from status");
    const firmware = discovery(w).firmware;
    expect(firmware).toMatchObject({
      platform: "update",
      name: "Firmware",
      device_class: "firmware",
      state_topic: `yoto/${LIVING}`,
      enabled_by_default: false,
      entity_category: "diagnostic",
    });
    // Yoto updates its players itself: no command topic, so HA offers no install.
    expect(Object.keys(firmware).filter((k) => k.includes("command") || k === "payload_install")).toEqual([]);
    // The latest is the installed one (Yoto's data names no newer): HA says up to date.
    expect(JSON.parse(rendered(w, "firmware"))).toEqual({installed_version: "v2.23.2", latest_version: "v2.23.2"});
    // Not known yet: "{}", which HA ignores.
    const unknown = JSON.stringify({...state(w), firmware: null});
    expect(renderValueTemplate(firmware.value_template, unknown).trim()).toBe("{}");
    const last = lastOnEveryTopic(w);
    expect(checkDiscovery(discoveryPayloads(last), last)).toEqual([]);
  });
});
