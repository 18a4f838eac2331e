import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {wallClock, zonedInstant} from "../../../src/core/time/zoned.js";
import type {BonusRequest} from "../../../src/family/types.js";
import {type FamilyStack, LIVING, MINI, startFamilyStack, ZONE} from "../../helpers/familyStack.js";
import {until} from "../../helpers/parentRulesStack.js";

/** An instant from "2027-10-30 20:30" on the London wall clock. */
function at(text: string): number {
  const [date, time] = text.split(" ") as [string, string];
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [h, min] = time.split(":").map(Number) as [number, number];
  return zonedInstant(y, m, d, h * 3600 + min * 60, ZONE);
}

function local(t: number): string {
  const w = wallClock(t, ZONE);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
}

/*
 * A week of the family plan with fake time, over the last Sunday of October 2027, when London's
 * clocks go back an hour: Mia on the Bedroom Mini (school nights 19:30–07:00, weekends
 * 20:30–08:00, a transition card and a wind-down, a 60-minute budget), Leo on the Living Room
 * player, shared (20:00–07:30). A bonus, a request answered both ways, a borrowed shared player and
 * a restart in the middle of bedtime.
 */
describe("a week of the family plan", () => {
  let s: FamilyStack;
  const quietLog: string[] = [];
  const requests: BonusRequest[] = [];

  /** Move the clock a minute at a time to `text`, letting the plan pass on each minute. */
  async function runTo(text: string): Promise<void> {
    const target = at(text);
    while (s.clock.now < target) {
      s.clock.now = Math.min(target, s.clock.now + 60_000);
      await s.family.evaluate();
    }
  }
  const isQuiet = (id: string) => s.quiet.period(id) !== undefined;
  const settled = (id: string, quiet: boolean) =>
    until(
      () => s.cloud.players.get(id).settings?.dayMaxVolume === (quiet ? 0 : 16) || false,
      `${id} ${quiet ? "muted" : "back"}`,
    );

  beforeAll(async () => {
    s = await startFamilyStack(at("2027-10-27 12:00"));
    s.cloud.bus.on({}, "quiet.changed", (e) => {
      quietLog.push(`${local(s.clock.now)} ${e.player} ${e.until ? "quiet" : "back"}`);
    });
    s.cloud.bus.on({}, "family.requested", (r) => {
      requests.push(r);
    });
    const school = {bedtime: "19:30", wake: "07:00"};
    const weekend = {bedtime: "20:30", wake: "08:00"};
    await s.family.put("Mia", {
      players: ["Bedroom Mini"],
      budget: {minutes: 60},
      schedule: {sun: school, mon: school, tue: school, wed: school, thu: school, fri: weekend, sat: weekend},
      bedtime: {transition: {card: "songs", minutes_before: 20}, wind_down: {minutes: 10, volume: 3}},
      morning_volume: 6,
      bonus: {minutes: 15, daily_cap: 2},
    });
    const leo = {bedtime: "20:00", wake: "07:30"};
    await s.family.put("Leo", {
      shared_players: ["Living Room"],
      schedule: {sun: leo, mon: leo, tue: leo, wed: leo, thu: leo, fri: leo, sat: leo},
      // A sleepover on Saturday: bedtime 01:30, in the hour the clocks go back through.
      overrides: [{date: "2027-10-30", bedtime: "01:30", wake: "09:00", note: "sleepover"}],
    });
  }, 30_000);
  afterAll(() => s?.stop());

  it("holds each child's players in quiet from bedtime to wake, every night, and says what tonight holds", async () => {
    expect(s.family.child("Mia").tonight.map((t) => `${t.step} ${local(Date.parse(t.at))}`)).toEqual([
      "transition 2027-10-27 19:10",
      "wind_down 2027-10-27 19:20",
      "bedtime 2027-10-27 19:30",
      "wake 2027-10-28 07:00",
    ]);
    await runTo("2027-10-27 19:29");
    expect(isQuiet(MINI)).toBe(false);
    // The transition card and the wind-down were the plan's rules, run at their minute.
    // (What play_card and wind_down do to a player is their own tests'; here: started, for Mia's Mini, at their minute.)
    for (const rule of ["family_mia_transition", "family_mia_wind_down"])
      expect(s.engine.engine.traces(rule).map((t) => [t.trigger.player_id, t.trigger.step])).toEqual([
        [MINI, rule.slice(11)],
      ]);
    const runs = s.engine.engine.list().filter((r) => r.from === "family plan");
    expect(runs.map((r) => [r.id, r.lastRun !== undefined])).toEqual([
      ["family_mia_transition", true],
      ["family_mia_wind_down", true],
      // Mia has a budget, so a warning to say (she has listened to nothing yet).
      ["family_mia_warning", false],
    ]);
    await runTo("2027-10-27 19:30");
    await settled(MINI, true);
    expect(s.family.child("Mia").quiet_until).toBe(new Date(at("2027-10-28 07:00")).toISOString());
    await runTo("2027-10-27 20:00");
    await settled(LIVING, true);
    await runTo("2027-10-28 07:00");
    await settled(MINI, false);
    // Never left at 0: the morning volume comes back with the max volume.
    await until(() => s.cloud.players.get(MINI).volume.level === 6, "Mia's morning volume");
    await runTo("2027-10-28 07:30");
    await settled(LIVING, false);
    expect(quietLog).toEqual([
      "2027-10-27 19:30 Bedroom Mini quiet",
      "2027-10-27 20:00 Living Room quiet",
      "2027-10-28 07:00 Bedroom Mini back",
      "2027-10-28 07:30 Living Room back",
    ]);
  }, 60_000);

  it("lifts bedtime for a bonus, then is quiet again when it ends by itself", async () => {
    await runTo("2027-10-28 19:45");
    await settled(MINI, true);
    const view = await s.family.bonus("Mia", {minutes: 15}, "a parent");
    expect(view.bonus).toMatchObject({minutes: 15, by: "a parent"});
    expect(view.quiet_until).toBeNull();
    await settled(MINI, false);
    await runTo("2027-10-28 20:00");
    await settled(MINI, true);
    expect(s.family.child("Mia").journal.map((e) => e.what)).toContain("bonus");
  }, 60_000);

  it("turns a play attempt in quiet hours into one request, and answers it Allow", async () => {
    await runTo("2027-10-29 21:00");
    await settled(MINI, true);
    for (let i = 0; i < 5; i++) {
      s.sim.player(MINI).insertCard("long");
      await until(() => s.cloud.players.get(MINI).playback.cardId === "long", "the card in");
      s.sim.player(MINI).removeCard();
      await until(() => s.cloud.players.get(MINI).playback.cardId === null, "the card out");
    }
    await until(() => requests.length === 1, "a request");
    // Fifty inserts or five: one request, not one each.
    await new Promise((r) => setTimeout(r, 200));
    expect(requests).toHaveLength(1);
    // The card by its own title, not the chapter that was playing ("One").
    expect(requests[0]).toMatchObject({
      child: "Mia",
      player: "Bedroom Mini",
      reason: "bedtime",
      cardId: "long",
      card: "Long story",
    });
    expect(s.family.list().children.find((c) => c.name === "Mia")?.request?.id).toBe(requests[0]?.id);
    const view = await s.family.answer("Mia", true, "a parent's phone");
    expect(view.request).toBeNull();
    expect(view.bonus?.minutes).toBe(15);
    await settled(MINI, false);
    await runTo("2027-10-29 21:15");
    await settled(MINI, true);
  }, 60_000);

  it("answers Not tonight and keeps the player quiet; a second request waits 10 minutes", async () => {
    await runTo("2027-10-30 21:00");
    s.sim.player(MINI).insertCard("long");
    await until(() => requests.length === 2, "the second request");
    await s.family.answer("Mia", false, "a parent");
    expect(s.family.child("Mia").request).toBeNull();
    expect(isQuiet(MINI)).toBe(true);
    s.sim.player(MINI).removeCard();
    s.sim.player(MINI).insertCard("long");
    await new Promise((r) => setTimeout(r, 300));
    expect(requests).toHaveLength(2);
    await expect(s.family.answer("Mia", false, "a parent")).rejects.toThrow("Mia has no request waiting for an answer");
  }, 60_000);

  it("keeps the night the clocks go back as one night: a bedtime in the repeated hour happens once", async () => {
    quietLog.length = 0;
    await runTo("2027-10-31 09:00");
    await settled(LIVING, false);
    // 01:30 comes twice that night (BST, then GMT): quiet began at the first and never again.
    expect(quietLog).toEqual([
      "2027-10-31 01:30 Living Room quiet",
      "2027-10-31 08:00 Bedroom Mini back",
      "2027-10-31 09:00 Living Room back",
    ]);
    expect(s.quiet.period(MINI)).toBeUndefined();
    // Mia's weekend night, 20:30 BST to 08:00 GMT, was 12.5 hours by the wall clock and 13.5 long.
    const saturday = s.family.journal(7).filter((e) => e.child === "Mia" && e.at.startsWith("2027-10-3"));
    expect(saturday.map((e) => `${e.what} ${local(Date.parse(e.at))}`)).toEqual(
      expect.arrayContaining(["bedtime 2027-10-30 20:30", "wake 2027-10-31 08:00"]),
    );
  }, 120_000);

  it("restarted in the middle of bedtime, ends quiet at wake with the morning volume", async () => {
    await runTo("2027-11-01 22:00");
    await settled(MINI, true);
    await s.restart();
    expect(isQuiet(MINI)).toBe(true);
    await runTo("2027-11-02 07:00");
    await settled(MINI, false);
    await until(() => s.cloud.players.get(MINI).volume.level === 6, "Mia's morning volume after a restart");
  }, 120_000);

  it("counts a used-up budget, and a borrowed shared player follows the child listening", async () => {
    s.listened.set(MINI, 55 * 60);
    await runTo("2027-11-02 16:00");
    expect(s.family.child("Mia")).toMatchObject({minutes_used: 55, minutes_left: 5, quiet_until: null});
    expect(s.family.child("Mia").journal.map((e) => e.what)).toContain("warning");
    s.listened.set(MINI, 61 * 60);
    await runTo("2027-11-02 16:01");
    await settled(MINI, true);
    expect(s.family.child("Mia")).toMatchObject({minutes_left: 0, quiet_reason: "budget"});
    // Until the next wake: the budget is a day's, and the night comes first.
    expect(s.family.child("Mia").quiet_until).toBe(new Date(at("2027-11-03 07:00")).toISOString());
    // Mia borrows the Living Room: it is held by Mia's plan now (over budget), not Leo's.
    await s.family.setListener("Living Room", "Mia");
    await settled(LIVING, true);
    await s.family.setListener("Living Room", "Leo");
    await settled(LIVING, false);
  }, 120_000);

  it("kept a restart in the middle of a bonus from making it unlimited", async () => {
    s.listened.set(MINI, 0);
    await runTo("2027-11-03 06:59");
    await runTo("2027-11-03 21:00");
    await settled(MINI, true);
    await s.family.bonus("Mia", {minutes: 15}, "a parent");
    await settled(MINI, false);
    await runTo("2027-11-03 21:05");
    await s.restart();
    await runTo("2027-11-03 21:15");
    await settled(MINI, true);
  }, 120_000);

  it("respects quiet hours ended by hand until the next bedtime", async () => {
    await runTo("2027-11-03 21:20");
    await settled(MINI, true);
    await s.quiet.end(MINI);
    await settled(MINI, false);
    await runTo("2027-11-03 22:00");
    expect(isQuiet(MINI)).toBe(false);
    await runTo("2027-11-04 19:30");
    await settled(MINI, true);
  }, 120_000);

  it("answers a bonus the database refuses with the database's error, and grants nothing", async () => {
    await runTo("2027-11-04 20:00");
    await s.store().stop();
    await expect(s.family.bonus("Mia", {minutes: 15}, "a parent")).rejects.toThrow(
      /Could not save the state database .*Database is closed/,
    );
    expect(s.family.child("Mia")).toMatchObject({bonus: null, bonuses_today: 0});
    expect(isQuiet(MINI)).toBe(true);
  }, 60_000);
});
