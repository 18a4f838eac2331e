import {describe, expect, it} from "vitest";
import {CardOptions} from "../../../src/bridge/cardOptions.js";
import {lightView, nextColour, parseLightCommand} from "../../../src/bridge/lightPayload.js";
import {configChanges, parseSettingsPatch, readColour, readSettings} from "../../../src/yoto/settings.js";

// A config block as Yoto returns it (reference §2.2): strings throughout, "#0" for a colour that is off.
const CONFIG = {
  maxVolumeLimit: "16",
  nightMaxVolumeLimit: "0",
  ambientColour: "#40bfd9",
  nightAmbientColour: "#0",
  dayDisplayBrightness: "auto",
  nightDisplayBrightness: "30",
  dayTime: "07:00",
  nightTime: "19:30",
  alarms: ["1111100,07:15,4OD25,,,8,1", "0000011,09:00,4OD25,,,6,0", "garbage"],
  locale: "en",
};

describe("device settings", () => {
  it("reads Yoto's config strings into typed settings, unknown values left out", () => {
    expect(readSettings(CONFIG)).toEqual({
      dayColour: "#40bfd9",
      nightColour: null,
      dayMaxVolume: 16,
      nightMaxVolume: 0,
      dayBrightness: "auto",
      nightBrightness: 30,
      dayTime: "07:00",
      nightTime: "19:30",
      alarms: [
        {index: 0, days: "1111100", time: "07:15", enabled: true},
        {index: 1, days: "0000011", time: "09:00", enabled: false},
      ],
    });
    expect(readSettings({maxVolumeLimit: "17", dayDisplayBrightness: "bright", dayTime: "7am"})).toEqual({alarms: []});
    expect([readColour("0x194a55"), readColour("off"), readColour("#0"), readColour("#000000")]).toEqual([
      "#194a55",
      null,
      null,
      null,
    ]);
  });

  it("turns a patch into the config keys it writes; an alarm's switch rewrites only its own flag", () => {
    const patch = parseSettingsPatch({
      night_max_volume: "0",
      day_brightness: "AUTO",
      night_brightness: 40,
      day_colour: "off",
      night_colour: "#FF8800",
      night_time: "20:15:00",
      alarm_2: "ON",
      alarm_1: false,
    });
    expect(configChanges(patch, CONFIG)).toEqual({
      nightMaxVolumeLimit: "0",
      dayDisplayBrightness: "auto",
      nightDisplayBrightness: "40",
      ambientColour: "#0",
      nightAmbientColour: "#ff8800",
      nightTime: "20:15",
      alarms: ["1111100,07:15,4OD25,,,8,0", "0000011,09:00,4OD25,,,6,1", "garbage"],
    });
  });

  it('reads and writes Bluetooth as "0"/"1" and the headphone limit as a boolean, as Yoto keeps them', () => {
    expect(readSettings({bluetoothEnabled: "1", headphonesVolumeLimited: false})).toMatchObject({
      bluetooth: true,
      headphonesLimited: false,
    });
    expect(readSettings({bluetoothEnabled: "maybe", headphonesVolumeLimited: "true"})).toMatchObject({
      headphonesLimited: true,
    });
    expect(readSettings({bluetoothEnabled: "maybe"}).bluetooth).toBeUndefined();
    const patch = parseSettingsPatch({bluetooth: "OFF", headphones_volume_limited: true});
    expect(patch).toEqual({bluetooth: false, headphonesLimited: true});
    expect(configChanges(patch, CONFIG)).toEqual({bluetoothEnabled: "0", headphonesVolumeLimited: true});
    expect(() => parseSettingsPatch({bluetooth: "loud"})).toThrow(
      "'bluetooth' must be true or false (ON or OFF) (got \"loud\")",
    );
  });

  it("refuses bad settings with what would work, before anything is written", () => {
    const refuse = (input: Record<string, unknown>) => () => parseSettingsPatch(input);
    expect(refuse({night_max_volume: 17})).toThrow(
      "'night_max_volume' must be a whole number from 0 to 16 (0 silences the player) (got 17)",
    );
    expect(refuse({day_brightness: "dim"})).toThrow(
      `'day_brightness' must be a whole number from 0 to 100, or "auto" (got "dim")`,
    );
    expect(refuse({day_time: "25:00"})).toThrow(`'day_time' must be a time like "07:00" (24-hour) (got "25:00")`);
    expect(refuse({day_colour: "red"})).toThrow(`'day_colour' must be a colour like "#ff8800", or "off" (got "red")`);
    expect(refuse({alarm_1: "maybe"})).toThrow(`'alarm_1' must be true or false (ON or OFF) (got "maybe")`);
    expect(refuse({alarm_0: true})).toThrow("Alarms are numbered from 1 (alarm_1 is the first)");
    expect(refuse({volume_cap: 3})).toThrow(
      "Unknown setting 'volume_cap': use day_colour, night_colour, day_max_volume, night_max_volume, day_brightness, night_brightness, day_time, night_time, bluetooth, headphones_volume_limited, alarm_<n>",
    );
    expect(refuse({constructor: 1})).toThrow("Unknown setting 'constructor'");
    expect(refuse({})).toThrow(`Name a setting to change, e.g. {"night_max_volume": 8}`);
    expect(() => configChanges(parseSettingsPatch({alarm_5: true}), CONFIG)).toThrow(
      "The player has no alarm 5 (it has 3)",
    );
    expect(() => configChanges(parseSettingsPatch({alarm_3: true}), CONFIG)).toThrow("The player has no alarm 3");
    expect(() => configChanges(parseSettingsPatch({alarm_1: true}), {})).toThrow(
      "The player has no alarm 1 (it has none: add alarms in the Yoto app)",
    );
  });
});

describe("the night light as a Home Assistant light", () => {
  it("shows a colour as full-brightness RGB and a brightness of its brightest channel", () => {
    expect(lightView("0x804020")).toEqual({state: "on", r: 255, g: 128, b: 64, brightness: 128});
    expect(lightView("off")).toEqual({state: "off", r: null, g: null, b: null, brightness: 0});
    expect(lightView(undefined).state).toBe("off");
  });

  it("folds HA's colour and brightness back into one colour, filling in what the command leaves out", () => {
    expect(nextColour("#804020", {on: true, brightness: 255})).toBe("#ff8040");
    expect(nextColour("#804020", {on: true, rgb: [0, 0, 255]})).toBe("#000080");
    expect(nextColour(null, {on: true})).toBe("#ffffff");
    expect(nextColour("#804020", {on: false})).toBeNull();
    expect(nextColour(null, {on: true, rgb: [255, 0, 0], brightness: 0})).toBeNull();
  });

  it("reads what HA's template sends, plain ON/OFF and colours, and refuses the rest", () => {
    expect(parseLightCommand("night_light", {state: "on", r: 10, g: 20, b: 30, brightness: 99})).toEqual({
      on: true,
      rgb: [10, 20, 30],
      brightness: 99,
    });
    expect(parseLightCommand("night_light", "OFF")).toEqual({on: false});
    expect(parseLightCommand("night_light", "#ff0000")).toEqual({on: true, rgb: [255, 0, 0], brightness: 255});
    expect(() => parseLightCommand("day_colour", {state: "on", r: 300, g: 0, b: 0})).toThrow(
      `'day_colour' must be ON, OFF, a colour like "#ff8800", or {"state": "on", "r": 0–255, "g": 0–255, "b": 0–255, "brightness": 0–255} (got {"state":"on","r":300,"g":0,"b":0})`,
    );
    expect(() => parseLightCommand("night_light", {state: "dim"})).toThrow("'night_light' must be ON, OFF");
  });
});

describe("the card picker's options", () => {
  it("lists cards by title, tells twins apart by id, and maps options back to cards", () => {
    const options = new CardOptions();
    const cards = [
      {cardId: "c2", title: "The Gruffalo", madeByFamily: false},
      {cardId: "c1", title: "Bedtime", madeByFamily: true},
      {cardId: "c3", title: "Bedtime", madeByFamily: false},
      {cardId: "c4", title: "  ", madeByFamily: true},
    ];
    expect(options.update(cards)).toBe(true);
    expect(options.options).toEqual(["Bedtime (c1)", "Bedtime (c3)", "c4", "The Gruffalo"]);
    expect([options.cardFor("Bedtime (c3)"), options.cardFor("The Gruffalo"), options.cardFor("Bedtime")]).toEqual([
      "c3",
      "c2",
      undefined,
    ]);
    expect([options.optionFor("c2"), options.optionFor("unknown"), options.optionFor(null)]).toEqual([
      "The Gruffalo",
      null,
      null,
    ]);
    expect(options.update([...cards].reverse())).toBe(false);
    const many = Array.from({length: 400}, (_, i) => ({cardId: `id${i}`, title: `Card ${i}`, madeByFamily: true}));
    options.update(many);
    expect(options.options.length).toBe(150);
  });
});
