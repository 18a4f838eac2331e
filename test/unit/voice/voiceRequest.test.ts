import {describe, expect, it} from "vitest";
import {readVoiceRequest} from "../../../src/voice/voiceRequest.js";

describe("a voice request's body", () => {
  it("takes HA's trigger data: the slots it heard, the satellite, its area and language", () => {
    const r = readVoiceRequest({
      trigger: "play",
      sentence: "play the sleepy dragon on Mia's Yoto",
      slots: {what: "the sleepy dragon", who: "Mia's", other: "x"},
      device_id: "abc",
      area: "Mia's Room",
      devices: ["Bedroom Mini", 7, null],
      language: "de-DE",
    });
    expect(r).toMatchObject({
      trigger: "play",
      slots: {what: "the sleepy dragon", who: "Mia's"},
      deviceId: "abc",
      area: "Mia's Room",
      devices: ["Bedroom Mini", "7"],
    });
    expect(r.lang.code).toBe("de");
    expect(readVoiceRequest({trigger: "pause", language: "fr"}).lang.code).toBe("en");
    expect(readVoiceRequest({trigger: "pause", slots: '{"who": "Ben"}'}).slots).toEqual({who: "Ben"});
    expect(
      readVoiceRequest({
        trigger: "pause",
        rooms: [
          ["Kids' Room", ["Attic", 3, {}]],
          {area: "Hall", devices: ["Living Room"]},
          ["Den", ["Den Yoto", "TV"], ["TV", 4]],
          {area: "Attic", devices: ["Attic"], players: "TV"},
          ["", ["x"]],
          "Garage",
          null,
        ],
      }).rooms,
    ).toEqual([
      {area: "Kids' Room", devices: ["Attic", "3"]},
      {area: "Hall", devices: ["Living Room"]},
      // The area's media players, when the blueprint sends them: a list, or not known.
      {area: "Den", devices: ["Den Yoto", "TV"], players: ["TV", "4"]},
      {area: "Attic", devices: ["Attic"]},
    ]);
  });

  it("cuts what it heard to a length worth reading, and takes no control characters or inherited keys", () => {
    const r = readVoiceRequest({
      trigger: "play",
      sentence: "a".repeat(5000),
      slots: {what: `x\u0000y${"z".repeat(900)}`},
    });
    expect(r.sentence).toHaveLength(2000);
    expect(r.slots.what).toBe(`x y${"z".repeat(197)}`);
    expect(readVoiceRequest({trigger: "play", slots: JSON.parse('{"__proto__": {"what": "evil"}}')}).slots).toEqual({});
    expect(readVoiceRequest({trigger: "play", slots: null, device_id: null, area: null}).slots).toEqual({});
  });

  it("refuses a body without a trigger, or with one it does not know, saying what to send", () => {
    expect(() => readVoiceRequest({})).toThrow(
      "A voice request needs its 'trigger': the id of the sentence trigger that heard it, one of play, choose, one_more_story, sleep, pause, resume, stop, next, previous, volume_up, volume_down, volume_set, stop_all, whats_playing, listened, bedtime, week, night (the voice blueprint sends it)",
    );
    expect(() => readVoiceRequest({trigger: "dance"})).toThrow(
      "I don't know the voice trigger 'dance': the triggers are play, choose, one_more_story, sleep, pause, resume, stop, next, previous, volume_up, volume_down, volume_set, stop_all, whats_playing, listened, bedtime, week, night; give your own sentences to one of them",
    );
    expect(() => readVoiceRequest({trigger: "__proto__"})).toThrow("I don't know the voice trigger '__proto__'");
  });
});
