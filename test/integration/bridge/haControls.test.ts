import {writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import type {TestApp} from "../../helpers/app.js";
import {linkedBridge, type Watcher} from "../../helpers/linkedBridge.js";
import {watchBroker} from "../../helpers/mqtt.js";
import {waitFor} from "../../helpers/players.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
const ARTWORK = "https://cdn.example.com/songs.png";

const startLinked = linkedBridge();
let t: TestApp | undefined;
let watcher: Watcher | undefined;

/** The service on the simulator; the Living Room has two alarms set in "the Yoto app". */
async function linkedApp() {
  const linked = await startLinked({
    prepare: (sim) => {
      sim.addCard({
        cardId: "story",
        title: "The Gruffalo",
        metadata: {cover: {imageL: ARTWORK}},
        content: {
          chapters: [
            {
              key: "01",
              title: "Wood",
              tracks: [{key: "01", title: "Mouse", trackUrl: "yoto:#y", type: "audio", duration: 300}],
            },
          ],
        },
      });
      sim.player(LIVING).config.alarms = ["1111100,07:15,4OD25,,,8,1", "0000011,09:00,4OD25,,,6,1"];
    },
  });
  ({t, watcher} = linked);
  await waitFor(() => watcher!.lastJson(`yoto/${LIVING}`)?.settings?.alarms?.["2"] !== undefined, "the settings");
  return linked;
}

const state = () => watcher!.lastJson(`yoto/${LIVING}`);
const discovery = (id: string) => watcher!.lastJson(`homeassistant/device/yoto_${id}_yoto/config`);
const set = (attr: string, payload: string) => watcher!.client.publishAsync(`yoto/${LIVING}/set/${attr}`, payload);

describe("Home Assistant controls through the device config and commands", () => {
  it("offers the settings as entities where the player has the hardware", async () => {
    await linkedApp();
    const living = discovery(LIVING).components;
    const mini = discovery(MINI).components;
    expect(living.night_light).toMatchObject({platform: "light", schema: "template"});
    expect(living.day_colour).toMatchObject({platform: "light", entity_category: "config"});
    expect(mini.night_light).toBeUndefined(); // the Mini has no light ring
    expect(living.day_auto_brightness).toMatchObject({platform: "switch", payload_on: "auto"});
    expect(mini.day_auto_brightness).toBeUndefined(); // nor a light sensor
    expect(mini.ambient_light).toBeUndefined();
    expect(living.night_max_volume).toMatchObject({platform: "number", min: 0, max: 16});
    expect(living.day_time).toMatchObject({platform: "time", command_topic: `yoto/${LIVING}/set/day_time`});
    expect([living.alarm_1?.platform, living.alarm_2?.platform, living.alarm_3]).toEqual([
      "switch",
      "switch",
      undefined,
    ]);
    expect(mini.alarm_1).toBeUndefined();
    // Home Assistant Core's controls: Bluetooth and the headphone limit, what holds the card slot,
    // and the firmware as an update entity (off by default, as ESPHome's).
    expect(living.bluetooth).toMatchObject({
      platform: "switch",
      entity_category: "config",
      command_topic: `yoto/${LIVING}/set/bluetooth`,
    });
    expect(mini.headphones_volume_limited).toMatchObject({platform: "switch", entity_category: "config"});
    expect(living.card_insertion).toMatchObject({
      platform: "sensor",
      options: ["none", "physical", "remote", "streaming"],
    });
    expect(living.firmware).toMatchObject({platform: "update", device_class: "firmware", enabled_by_default: false});
    expect(living.restart).toMatchObject({
      platform: "button",
      device_class: "restart",
      payload_press: '{"command":"reboot"}',
    });
    expect(living.headphones.device_class).toBe("connectivity");
    expect(living.last_seen.enabled_by_default).toBe(false);
    expect(living.playback.options).toEqual(["playing", "paused", "stopped", "loading"]);
    expect(living.trigger_button_left).toMatchObject({
      platform: "device_automation",
      automation_type: "trigger",
      topic: `yoto/${LIVING}/event`,
      type: "button_short_press",
      subtype: "left_button",
      payload: "button_left",
    });
    await waitFor(() => discovery(LIVING).components.play_card !== undefined, "the card picker");
    expect(discovery(LIVING).components.play_card.options).toEqual(["Songs", "The Gruffalo"]);
    expect(state().settings).toEqual({
      day_colour: "#40bfd9",
      night_colour: "#f57399",
      day_max_volume: 16,
      night_max_volume: 16,
      day_brightness: "auto",
      night_brightness: "auto",
      day_time: "07:00",
      night_time: "19:00",
      bluetooth: true,
      headphones_volume_limited: true,
      alarms: {
        "1": {days: "1111100", time: "07:15", enabled: true},
        "2": {days: "0000011", time: "09:00", enabled: true},
      },
    });
  });

  it("writes each setting to the player's config, keeps the rest, and shows it back", async () => {
    const {sim: s} = await linkedApp();
    const config = () => s.player(LIVING).config;
    s.player(LIVING).config.locale = "fr"; // set in the Yoto app: a write must keep it

    await set("night_max_volume", "0");
    await waitFor(() => state()?.settings.night_max_volume === 0, "night max volume 0 in the state");
    expect(config().nightMaxVolumeLimit).toBe("0");
    // What HA's template light sends for "red at half brightness".
    await set("day_colour", JSON.stringify({state: "on", r: 255, g: 0, b: 0, brightness: 128}));
    await waitFor(() => state()?.lights.day_colour.brightness === 128, "the day colour");
    expect(config().ambientColour).toBe("#800000");
    expect(state().lights.day_colour).toEqual({state: "on", r: 255, g: 0, b: 0, brightness: 128});
    await set("night_colour", JSON.stringify({state: "off"}));
    await waitFor(() => state()?.lights.night_colour.state === "off", "the night colour off");
    expect(config().nightAmbientColour).toBe("#0");
    await set("day_brightness", "55");
    await waitFor(() => state()?.settings.day_brightness === 55, "day brightness");
    await set("night_brightness", "auto");
    await set("day_time", "06:30:00"); // HA's time entity sends seconds
    await waitFor(() => state()?.settings.day_time === "06:30", "the day start");
    await set("alarm_2", "OFF");
    await waitFor(() => state()?.settings.alarms["2"].enabled === false, "alarm 2 off");
    // Core's Bluetooth and headphone-limit switches: each key kept as Yoto keeps it.
    await waitFor(() => state()?.settings.bluetooth === true, "Bluetooth read as on");
    await set("bluetooth", "OFF");
    await waitFor(() => state()?.settings.bluetooth === false, "Bluetooth off");
    await set("headphones_volume_limited", "OFF");
    await waitFor(() => state()?.settings.headphones_volume_limited === false, "the headphone limit off");
    expect([config().bluetoothEnabled, config().headphonesVolumeLimited]).toEqual(["0", false]);
    expect(config()).toMatchObject({
      dayDisplayBrightness: "55",
      nightDisplayBrightness: "auto",
      dayTime: "06:30",
      alarms: ["1111100,07:15,4OD25,,,8,1", "0000011,09:00,4OD25,,,6,0"],
      locale: "fr",
      maxVolumeLimit: "16",
      bluetoothEnabled: "0",
    });
    // The status the player reports follows its config (255 is how status says "auto").
    expect(s.player(LIVING).compactStatus()).toMatchObject({dayBright: 55, nightBright: 255});

    await set("alarm_7", "ON");
    await waitFor(
      () => watcher!.lastJson("yoto/bridge/response/player/set")?.error === "The player has no alarm 7 (it has 2)",
      "the refusal",
    );
    // Changed in the Yoto app: read with the device list.
    s.player(LIVING).config.maxVolumeLimit = "9";
    await t!.app.players.refreshDevices();
    await waitFor(() => state()?.settings.day_max_volume === 9, "the app's change");
  });

  it("drives the live night light, the end-of-track sleep timer, restart and the card picker", async () => {
    const {sim: s} = await linkedApp();
    await set("night_light", JSON.stringify({state: "on", r: 0, g: 255, b: 0}));
    await waitFor(() => state()?.lights.night_light.state === "on", "the light on, read back from status");
    expect(s.player(LIVING).nightlight).toBe("0x00ff00");
    expect(state().lights.night_light).toEqual({state: "on", r: 0, g: 255, b: 0, brightness: 255});
    await set("night_light", "OFF");
    await waitFor(() => s.player(LIVING).nightlight === "0x000000", "the ring off");

    await waitFor(() => discovery(LIVING).components.play_card !== undefined, "the card picker");
    await set("card_option", "The Gruffalo");
    await waitFor(
      () => state()?.card_option === "The Gruffalo" && state()?.card_title === "The Gruffalo",
      "the picked card playing, its title read",
    );
    expect(state()).toMatchObject({card_id: "story", card_title: "The Gruffalo", playback: "playing"});
    await waitFor(() => watcher!.last(`yoto/${LIVING}/card_image`) === ARTWORK, "the artwork");

    await set("sleep_at_track_end", "ON");
    await waitFor(() => state()?.sleep_at_track_end === true, "sleep at the end of the track");
    const left = s.player(LIVING).sleepTimer!.endsAt - Date.now();
    expect(left).toBeGreaterThan(250_000);
    expect(left).toBeLessThanOrEqual(301_000);
    await set("sleep_at_track_end", "OFF");
    await waitFor(() => state()?.sleep_timer_active === false, "the timer cancelled");

    // The restart button's payload, with a transaction so the player's ack comes back as an answer.
    await watcher!.client.publishAsync(`yoto/${LIVING}/set`, JSON.stringify({command: "reboot", transaction: "r1"}));
    await waitFor(() => watcher!.lastJson("yoto/bridge/response/player/set")?.transaction === "r1", "the restart");
    expect(watcher!.lastJson("yoto/bridge/response/player/set").status).toBe("ok");

    await set("card_option", "Not a card");
    await waitFor(
      () =>
        watcher!.lastJson("yoto/bridge/response/player/set")?.error ===
        `'card_option' must be one of the card names the Play a card list offers (got "Not a card")`,
      "the refusal",
    );
  });

  it("sends artwork once per card, and makes card, chapter and track unknown when the card is out", async () => {
    const {sim: s} = await linkedApp();
    s.player(LIVING).insertCard("story");
    await waitFor(() => state()?.card_title === "The Gruffalo", "the card's title");
    await waitFor(() => watcher!.last(`yoto/${LIVING}/card_image`) === ARTWORK, "the artwork");
    for (let i = 0; i < 3; i++) s.player(LIVING).turnKnob(i % 2 ? 1 : -1);
    await waitFor(() => state()?.volume === 7, "more state messages");
    const artwork = watcher!.seen.filter((m) => m.topic === `yoto/${LIVING}/card_image`);
    expect(artwork.map((m) => m.payload)).toEqual([ARTWORK]);
    // Retained: Home Assistant connecting later still gets it.
    const late = await watchBroker(t!.app.broker.connection(), [`yoto/${LIVING}/card_image`]);
    await waitFor(() => late.seen.length === 1, "the retained artwork");
    expect(late.seen[0]).toMatchObject({payload: ARTWORK, retain: true});
    await late.close();
    s.player(LIVING).removeCard();
    await waitFor(() => state()?.card_id === null, "the card out");
    expect(state()).toMatchObject({card_title: null, chapter_title: null, track_title: null, position: null});
    expect(state().playback).toBe("stopped");
  });

  it("changes settings from a rule: quiet hours set the night cap to 0 and switch an alarm off", async () => {
    const {sim: s, t: app} = await linkedApp();
    const rules = `
- id: quiet_hours
  triggers: [{trigger: mqtt, topic: home/quiet}]
  actions:
    - action: player.settings
      player: Living Room
      night_max_volume: 0
      day_colour: "#102030"
      alarm: 2
      alarm_on: false
`;
    await writeFile(path.join(app.app.config.rules_dir, "quiet.yaml"), rules);
    await app.app.rules.reload();
    await watcher!.client.publishAsync("home/quiet", "go");
    await waitFor(() => s.player(LIVING).config.nightMaxVolumeLimit === "0", "the night cap from the rule");
    expect(s.player(LIVING).config).toMatchObject({
      ambientColour: "#102030",
      alarms: ["1111100,07:15,4OD25,,,8,1", "0000011,09:00,4OD25,,,6,0"],
    });
  });
});
