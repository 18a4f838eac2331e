import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {zonedInstant} from "../../../src/core/time/zoned.js";
import type {JournalPart} from "../../../src/shared/api/family.js";
import {type FamilyStack, LIVING, MINI, startFamilyStack, ZONE} from "../../helpers/familyStack.js";
import {until} from "../../helpers/parentRulesStack.js";

/** An instant from "2027-11-02 15:00" on the London wall clock. */
function at(text: string): number {
  const [date, time] = text.split(" ") as [string, string];
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [h, min] = time.split(":").map(Number) as [number, number];
  return zonedInstant(y, m, d, h * 3600 + min * 60, ZONE);
}

/*
 * The family's times as a family reads them, on fake time in London: the journal's words, and
 * which night its entries belong to. Tuesday 2 November 2027 onwards.
 */
describe("the family plan's times in words", () => {
  let s: FamilyStack;

  /** Move the clock a minute at a time to `text`, letting the plan pass on each minute. */
  async function runTo(text: string): Promise<void> {
    const target = at(text);
    while (s.clock.now < target) {
      s.clock.now = Math.min(target, s.clock.now + 60_000);
      await s.family.evaluate();
    }
  }
  const journal = (child: string, what: string) =>
    s.family
      .journal(7)
      .filter((e) => e.child === child && e.what === what)
      .map((e) => e.text);

  beforeAll(async () => {
    s = await startFamilyStack(at("2027-11-02 09:00"));
  }, 30_000);
  afterAll(() => s?.stop());

  it("says until when a used-up budget keeps a child quiet in the family's words, not as an ISO instant", async () => {
    const school = {bedtime: "19:30", wake: "07:00"};
    await s.family.put("Mia", {
      players: ["Bedroom Mini"],
      budget: {minutes: 60},
      schedule: {sun: school, mon: school, tue: school, wed: school, thu: school, fri: school, sat: school},
    });
    // Leo's only night is Friday's: on Tuesday his next wake is Saturday morning.
    await s.family.put("Leo", {players: ["Living Room"], budget: {minutes: 30}, schedule: {fri: school}});
    s.listened.set(MINI, 3600);
    s.listened.set(LIVING, 1800);
    await runTo("2027-11-02 15:00");
    expect(journal("Mia", "budget_reached")).toEqual([
      "Mia has used today's 60 min: quiet until tomorrow 07:00 or a bonus",
    ]);
    expect(journal("Leo", "budget_reached")).toEqual([
      "Leo has used today's 30 min: quiet until Saturday 07:00 or a bonus",
    ]);
    // Without a night, quiet ends with the day: a new budget at midnight.
    await s.family.put("Leo", {players: ["Living Room"], budget: {minutes: 30}});
    s.listened.set(LIVING, 0);
    await runTo("2027-11-03 15:00");
    s.listened.set(LIVING, 1800);
    await runTo("2027-11-03 15:01");
    expect(journal("Leo", "budget_reached")[0]).toBe(
      "Leo has used today's 30 min: quiet until tomorrow 00:00 or a bonus",
    );
  }, 30_000);

  it("keeps a night's journal together: tonight from the evening until wake, after midnight too, then last night", async () => {
    const school = {bedtime: "19:30", wake: "07:00"};
    await s.family.put("Mia", {
      players: ["Bedroom Mini"],
      schedule: {sun: school, mon: school, tue: school, wed: school, thu: school, fri: school, sat: school},
      // The evening begins with the wind-down at 19:20.
      bedtime: {wind_down: {minutes: 10, volume: 3}},
    });
    const parts = () =>
      s.family
        .child("Mia")
        .journal_by_night.map((p: JournalPart) => `${p.part}: ${p.entries.map((e) => e.what).join(" ")}`);
    /** Mia tries to play while kept quiet: a card goes in and out, and the plan raises a request. */
    const tryToPlay = async () => {
      await until(() => s.quiet.period(MINI) !== undefined, "the Mini in quiet hours");
      s.sim.player(MINI).insertCard("long");
      await until(() => s.family.child("Mia").request !== null, "Mia's request");
      s.sim.player(MINI).removeCard();
      await until(() => s.cloud.players.get(MINI).playback.cardId === null, "the card out");
    };

    await runTo("2027-11-03 19:45");
    await tryToPlay();
    await runTo("2027-11-03 20:00");
    expect(parts()).toEqual(["tonight: bedtime request expired", "today: budget_reached wake"]);

    // After midnight it is the same night: the evening's bedtime and request are still tonight's.
    await runTo("2027-11-04 02:00");
    await tryToPlay();
    await runTo("2027-11-04 02:15");
    expect(parts()).toEqual(["tonight: bedtime request expired request expired"]);
    // The calendar's journal for the date holds only what came after midnight.
    expect(s.family.child("Mia").journal.map((e) => e.what)).toEqual(["request", "expired"]);

    // After wake, that night is last night, and the day starts at wake.
    await runTo("2027-11-04 09:00");
    expect(parts()).toEqual(["today: wake", "last_night: bedtime request expired request expired"]);
  }, 60_000);
});
