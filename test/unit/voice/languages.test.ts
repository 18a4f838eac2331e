import {describe, expect, it} from "vitest";
import {german} from "../../../src/voice/languages/de.js";
import {english} from "../../../src/voice/languages/en.js";
import {VOICE_LANGUAGES} from "../../../src/voice/voiceRequest.js";

describe("the voice languages", () => {
  it("say a time with its day in a form every answer can take", () => {
    const at = (hour: number, minute: number, days: number, weekday = 4) => ({hour, minute, days, weekday});
    expect([at(7, 0, 0), at(7, 5, 1), at(19, 30, 3), at(0, 0, 1), at(0, 0, 0)].map(english.time)).toEqual([
      "7:00",
      "7:05 tomorrow",
      "19:30 on Thursday",
      "midnight",
      "midnight",
    ]);
    expect([at(7, 0, 0), at(7, 5, 1), at(19, 30, 3), at(0, 0, 1)].map(german.time)).toEqual([
      "7:00 Uhr",
      "morgen um 7:05 Uhr",
      "Donnerstag um 19:30 Uhr",
      "Mitternacht",
    ]);
    expect(english.answers.bedtimeAt({child: "Mia", time: english.time(at(19, 30, 3))})).toBe(
      "Mia's bedtime is at 19:30 on Thursday.",
    );
    expect(german.answers.bedtimeAt({child: "Max", time: german.time(at(19, 30, 1))})).toBe(
      "Max' Schlafenszeit ist morgen um 19:30 Uhr.",
    );
    expect(german.answers.asleep({child: "Mia", until: german.time(at(7, 0, 1))})).toBe(
      "Mia schläft: Ruhe bis morgen um 7:00 Uhr.",
    );
  });

  it("say durations, lists and a child's Yoto in their own grammar", () => {
    expect([30, 60, 125 * 60, 60 * 60].map(english.duration)).toEqual([
      "less than a minute",
      "1 minute",
      "2 hours and 5 minutes",
      "1 hour",
    ]);
    expect(german.duration(125 * 60)).toBe("2 Stunden und 5 Minuten");
    expect(english.list(["Ben", "Leo", "Mia"], "and")).toBe("Ben, Leo and Mia");
    expect(german.list(["Ben", "Mia"], "or")).toBe("Ben oder Mia");
    expect([english.childsYoto("James"), german.childsYoto("Mia"), german.childsYoto("Max")]).toEqual([
      "James's Yoto",
      "Mias Yoto",
      "Max' Yoto",
    ]);
  });

  it("each have a sentence for every trigger and an answer for every occasion", () => {
    const [first, ...others] = Object.values(VOICE_LANGUAGES);
    for (const lang of others) {
      expect(Object.keys(lang.sentences).sort(), lang.code).toEqual(Object.keys(first!.sentences).sort());
      expect(Object.keys(lang.answers).sort(), lang.code).toEqual(Object.keys(first!.answers).sort());
      expect(Object.keys(lang.blueprint.triggers).sort(), lang.code).toEqual(
        Object.keys(first!.blueprint.triggers).sort(),
      );
    }
  });
});
