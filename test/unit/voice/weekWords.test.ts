import {describe, expect, it} from "vitest";
import {childWeek} from "../../../src/family/childWeek.js";
import {VOICE_LANGUAGES} from "../../../src/voice/voiceRequest.js";
import {nightWords, weekWords} from "../../../src/voice/weekWords.js";
import {weekOverTheChange} from "../../helpers/weekOverTheChange.js";

const en = VOICE_LANGUAGES.en!;
const de = VOICE_LANGUAGES.de!;

/**
 * What voice says of a week made of the journal and the sleep sounds over seven days, the week
 * London's clocks go back (test/helpers/weekOverTheChange.ts): the answers of the `week` and
 * `night` triggers, and of the assistants' `yoto_week` and `yoto_last_night`, which are voice's.
 */
describe("a child's week, said", () => {
  const week = childWeek(weekOverTheChange());

  it("says the week's time, the title heard most, and the nights up, in English and German", () => {
    expect(weekWords(en, week)).toEqual({
      speech: "Mia listened for 2 hours and 5 minutes this week, most of all “The Gruffalo”. Mia was up once at night.",
      top: "The Gruffalo",
    });
    expect(weekWords(de, week).speech).toBe(
      "Mia hat diese Woche 2 Stunden und 5 Minuten gehört, am meisten „The Gruffalo“. Nachts war Mia einmal wach.",
    );
    const empty = {
      ...week,
      minutes: 0,
      top: [],
      days: week.days.map((d) => ({...d, night: {wakes: [], sleep_minutes: 0}})),
    };
    expect(weekWords(en, empty)).toEqual({speech: "Mia hasn't listened to anything this week."});
  });

  it("says the night across midnight and the hour the clocks go back: two wakes, the first before midnight, 100 minutes of rain", () => {
    expect(nightWords(en, week, "2027-10-30", false)).toBe(
      "Mia woke twice last night and asked for one more story once, first at 23:50; the sleep sound played 1 hour and 40 minutes.",
    );
    expect(nightWords(de, week, "2027-10-30", true)).toBe(
      "Mia war heute Nacht zweimal wach und einmal nach noch einer Geschichte gefragt, zuerst um 23:50 Uhr; das Schlafgeräusch lief 1 Stunde und 40 Minuten.",
    );
    // Sunday's night: nothing; a night outside the week, nothing either.
    expect(nightWords(en, week, "2027-10-31", false)).toBe("Mia slept through last night.");
    expect(nightWords(de, week, "2027-10-01", false)).toBe("Mia hat letzte Nacht durchgeschlafen.");
  });
});
