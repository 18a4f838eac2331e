import {describe, expect, it} from "vitest";
import {parseSet} from "../../../src/bridge/setPayload.js";
import {BridgeTopics} from "../../../src/bridge/topics.js";

const set = (payload: string, attribute?: string) => parseSet(Buffer.from(payload), attribute);

describe("MQTT set payloads", () => {
  it("turns properties, plain values and commands into player commands", () => {
    expect(set(`{"volume": 8, "sleep_timer": 20}`).commands).toEqual([
      {command: "volume", percent: 50},
      {command: "sleep", seconds: 1200},
    ]);
    expect(set("PAUSE", "state").commands).toEqual([{command: "pause"}]);
    expect(set("12", "volume").commands).toEqual([{command: "volume", percent: 75}]);
    expect(set(`{"card": {"cardId": "abc12", "chapter": 3}, "transaction": 9}`)).toEqual({
      commands: [{command: "play_card", cardId: "abc12", chapter: "3"}],
      transaction: 9,
    });
    expect(set(`{"command": "seek", "seconds": 30}`).commands).toEqual([{command: "seek", seconds: 30}]);
  });

  it("refuses bad payloads with the reason and what would work", () => {
    const cases: Array<[string, string | undefined, string]> = [
      ["not json", undefined, `The set payload is not JSON: send e.g. {"volume": 8} or {"command": "pause"}`],
      ["[1]", undefined, `The set payload must be a JSON object, e.g. {"volume": 8}`],
      ["{}", undefined, `The set payload is empty: send e.g. {"volume": 8}`],
      [`{"volume": 3.5}`, undefined, "'volume' must be a whole number from 0 to 16 (the player's steps) (got 3.5)"],
      [`{"state": "DANCE"}`, undefined, `'state' must be one of PLAY, PAUSE, STOP, NEXT, PREVIOUS (got "DANCE")`],
      ["-5", "sleep_timer", "'sleep_timer' must be minutes from 0 to 1440 (0 cancels) (got -5)"],
      [`{"volume_percent": 140}`, undefined, "'volume' percent must be a number from 0 to 100 (got 140)"],
      ["blue", "ambient", `'ambient' color must be a colour like "#ff8800" (got "blue")`],
      [
        `{"command": "jump"}`,
        undefined,
        `Unknown command "jump": use one of play_card, play_group, play, pause, resume, stop, next, previous, reboot, seek, volume, sleep, ambient, show_icon, sleep_end_of_track, settings`,
      ],
      [
        "1",
        "brightness",
        "Cannot set 'brightness': settable keys are state, volume, volume_percent, sleep_timer, card, ambient, seek, night_light, day_colour, night_colour, day_max_volume, night_max_volume, day_brightness, night_brightness, day_time, night_time, bluetooth, headphones_volume_limited, sleep_at_track_end, card_group, card_option, alarm_<n>, announce",
      ],
    ];
    for (const [payload, attribute, message] of cases) expect(() => set(payload, attribute), payload).toThrow(message);
  });

  it("routes topics: players by id, never the bridge", () => {
    const t = new BridgeTopics("home/yoto", "homeassistant");
    expect(t.parseSet("home/yoto/abc/set")).toEqual({player: "abc", attribute: undefined});
    expect(t.parseSet("home/yoto/abc/set/volume")).toEqual({player: "abc", attribute: "volume"});
    expect(t.parseSet("home/yoto/bridge/set")).toBeUndefined();
    expect(t.parseSet("home/yoto/abc/get")).toBeUndefined();
    expect(t.parseRequest("home/yoto/bridge/request/stream/preset")).toBe("stream/preset");
    expect(t.playerObjectId("abc")).toBe("yoto_abc_home_yoto");
  });
});
