import {writeFile} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {playerDiscovery} from "../../../src/bridge/discovery.js";
import {parseSet} from "../../../src/bridge/setPayload.js";
import {BridgeTopics} from "../../../src/bridge/topics.js";
import {ConfigError, loadConfig} from "../../../src/config/load.js";
import {compileExpression, compileTemplate} from "../../../src/rules/expressions.js";
import {ackKeysFor, parseCommand} from "../../../src/yoto/commands.js";
import {newPlayer} from "../../../src/yoto/playerModel.js";
import {parseInbound} from "../../../src/yoto/topics.js";
import {readsInLinearTime} from "../../helpers/linearTime.js";
import {tempDir} from "../../helpers/tmp.js";

// Names every plain object inherits: a lookup that walks the prototype chain finds them.
const NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "isPrototypeOf", "valueOf"];
const COMMANDS =
  "play_card, play_group, play, pause, resume, stop, next, previous, reboot, seek, volume, sleep, ambient, show_icon, sleep_end_of_track, settings";
const SET_KEYS =
  "state, volume, volume_percent, sleep_timer, card, ambient, seek, night_light, day_colour, night_colour, day_max_volume, night_max_volume, day_brightness, night_brightness, day_time, night_time, bluetooth, headphones_volume_limited, sleep_at_track_end, card_group, card_option, alarm_<n>, announce";

const set = (payload: string, attribute?: string) => parseSet(Buffer.from(payload), attribute);

describe("names Object.prototype already has", () => {
  it("are unknown commands, and unknown fields of known ones", () => {
    for (const name of NAMES) {
      expect(() => parseCommand({command: name}), name).toThrow(`Unknown command "${name}": use one of ${COMMANDS}`);
      expect(() => parseCommand(JSON.parse(`{"command": "volume", "percent": 40, "${name}": 1}`)), name).toThrow(
        `'volume' takes no '${name}' (it takes percent)`,
      );
      expect(() => parseCommand(JSON.parse(`{"command": "pause", "${name}": 1}`)), name).toThrow(
        `'pause' takes no '${name}'`,
      );
      expect([...ackKeysFor(name)], name).toEqual([name]);
    }
  });

  it("are not settable over MQTT, whatever they carry, and a card cannot smuggle another command", () => {
    const smuggled = [
      {command: "sleep", seconds: -5},
      {command: "show_icon", uri: "file:///etc/passwd"},
      {command: "volume", percent: 100000},
    ];
    for (const name of NAMES) {
      for (const value of smuggled) {
        expect(() => set(JSON.stringify({[name]: value})), name).toThrow(
          `Cannot set '${name}': settable keys are ${SET_KEYS}`,
        );
        expect(() => set(`{"volume": 8, "${name}": ${JSON.stringify(value)}}`), name).toThrow(
          `Cannot set '${name}': settable keys are ${SET_KEYS}`,
        );
      }
      expect(() => set("1", name), name).toThrow(`Cannot set '${name}': settable keys are ${SET_KEYS}`);
      expect(() => set(name, "state"), name).toThrow(
        `'state' must be one of PLAY, PAUSE, STOP, NEXT, PREVIOUS (got "${name}")`,
      );
    }
    expect(() => set(`{"card": {"command": "reboot"}}`)).toThrow(
      `'card' must be a card id, or {"cardId": …} with optional chapter, track and secondsIn (got {"command":"reboot"})`,
    );
    expect(set(`{"card": {"cardId": "abc12", "track": 2}}`).commands).toEqual([
      {command: "play_card", cardId: "abc12", track: "2"},
    ]);
  });

  it("are not message kinds on Yoto's MQTT", () => {
    for (const name of NAMES) expect(parseInbound(`device/abc123/${name}`), name).toBeUndefined();
    expect(parseInbound("device/abc123/data/events")).toEqual({deviceId: "abc123", kind: "events"});
  });

  it("are not player models: a family the table does not know is named by its type", () => {
    const topics = new BridgeTopics("yoto", "homeassistant");
    for (const name of NAMES) {
      const player = newPlayer({deviceId: "abc123", name: "Den", deviceFamily: name, deviceType: "v9", online: true});
      const discovery = playerDiscovery(player, {topics, version: "test"}) as {device: {model: unknown}};
      expect(discovery.device.model, name).toBe("Yoto v9");
    }
  });

  it("are not filters in rule expressions", () => {
    for (const name of NAMES) {
      expect(() => compileExpression(`trigger | ${name}`), name).toThrow(
        `unknown filter '${name}': use one of default, int, float, round, lower, upper, string, length, abs, first, last, tojson`,
      );
    }
  });

  it("are not options, from the options file, flags or the environment", async () => {
    const file = path.join(await tempDir(), "options.json");
    await writeFile(file, `{"__proto__": {"public_url": "http://elsewhere.example"}, "constructor": 1}`);
    const errors = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        if (err instanceof ConfigError) return err.errors;
        throw err;
      }
      throw new Error("expected a ConfigError");
    };
    expect(errors(() => loadConfig({argv: ["--options", file], env: {}, haOptionsPath: "/nonexistent"}))).toEqual([
      `__proto__ is not a known option (from options file '${file}')`,
      `constructor is not a known option (from options file '${file}')`,
    ]);
    expect(
      errors(() =>
        loadConfig({argv: ["--constructor", "x"], env: {YSS___PROTO__: "1"}, haOptionsPath: "/nonexistent"}),
      ),
    ).toEqual([
      "__proto__ is not a known option (from env YSS___PROTO__)",
      "constructor is not a known option (from flag --constructor)",
    ]);
  });

  it("find `{{ }}` in a hostile template in linear time", () => {
    const hostile = (n: number) => `${"}}".repeat(n)}${"{{".repeat(n)}`;
    expect(readsInLinearTime(hostile, (text) => compileTemplate(text)({}), 100_000)).toBe(hostile(100_000));
    expect(compileTemplate("a {{ 1 + 1 }} b {{ 'x' }} }} {{")({})).toBe("a 2 b x }} {{");
  });
});
