import {describe, expect, it} from "vitest";
import {german} from "../../../src/voice/languages/de.js";
import {english} from "../../../src/voice/languages/en.js";
import {amountInSentence, levelInSentence, volumeSaid} from "../../../src/voice/voiceVolume.js";

describe("a volume as said", () => {
  it("takes a step, a percentage in digits or words, and turns a percentage into the nearest of 16 steps", () => {
    const said = (heard: string, lang = english) => volumeSaid(heard, lang);
    expect(said("5")).toBe(5);
    expect(said("five")).toBe(5);
    expect(said("volume 16")).toBe(16);
    expect(said("50%")).toBe(8);
    expect(said("50 percent")).toBe(8);
    expect(said("one hundred percent")).toBe(16);
    expect(said("one hundred")).toBe(16);
    expect(said("seventy five percent")).toBe(12);
    expect(said("twenty five percent")).toBe(4);
    // Past the 16 steps, a number is a percentage.
    expect(said("20")).toBe(3);
    expect(said("hundert Prozent", german)).toBe(16);
    expect(said("fünfzig Prozent", german)).toBe(8);
    expect(said("fünfundzwanzig Prozent", german)).toBe(4);
    expect(said("acht", german)).toBe(8);
  });

  it("takes the most and the least as said: the player's top step, and one step (Home Assistant's 1 %)", () => {
    expect(volumeSaid("maximum", english)).toBe(16);
    expect(volumeSaid("full", english)).toBe(16);
    expect(volumeSaid("the lowest", english)).toBe(1);
    expect(volumeSaid("die höchste", german)).toBe(16);
    expect(volumeSaid("maximale", german)).toBe(16);
    expect(volumeSaid("das Minimum", german)).toBe(1);
    expect(volumeSaid("niedrigste", german)).toBe(1);
  });

  it("reads a level the sentence wrote in its own words: its last plain number, never a name like Max", () => {
    const level = (sentence: string, lang = english) => volumeSaid(levelInSentence(sentence, lang), lang);
    expect(level("Volume 3 on Mia's Yoto")).toBe(3);
    expect(level("set the volume to 5 for Max")).toBe(5);
    expect(level("volume 50% on Ben's Yoto")).toBe(8);
    expect(level("volume 50 percent on Ben's Yoto")).toBe(8);
    expect(level("Lautstärke im Kinderzimmer 2 auf drei", german)).toBe(3);
    expect(level("Lautstärke auf dem Bedroom Mini im Kinderzimmer auf fünf", german)).toBe(5);
    expect(level("Lautstärke im Kinderzimmer 50 Prozent", german)).toBe(8);
    expect(levelInSentence("set the volume for Max", english)).toBe("");
  });

  it("reads how much louder or quieter only after 'by' or as a percentage, never from a name", () => {
    const by = (sentence: string, lang = english) => amountInSentence(sentence, lang);
    expect(by("turn up the volume by 25% in the living room")).toBe("25%");
    expect(by("turn it down by 2 on Ben's Yoto.")).toBe("2");
    expect(by("turn it down by two on Ben's Yoto")).toBe("two");
    expect(by("volume down 20 percent in Mia's room")).toBe("20%");
    expect(by("Mach Bens Yoto um 20 Prozent leiser", german)).toBe("20%");
    expect(by("Dreh den Ton im Kinderzimmer um zwei runter", german)).toBe("zwei");
    expect(by("turn up the volume in Room 2")).toBe("");
    expect(by("turn up Mini 3 by a bit")).toBe("");
    expect(by("make it louder on Ben's Yoto")).toBe("");
  });

  it("hears no volume in what is none: nothing, a negative, a number past 100, a number that is not a plain one", () => {
    for (const heard of ["banana", "", "-5", "minus five", "1e9", "5.5", "101", "two hundred percent"])
      expect(volumeSaid(heard, english), heard).toBeUndefined();
  });
});
