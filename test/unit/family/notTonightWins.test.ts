import {describe, expect, it} from "vitest";
import {EventBus} from "../../../src/core/events.js";
import {Logger} from "../../../src/core/logger.js";
import {zonedInstant} from "../../../src/core/time/zoned.js";
import {Bonuses} from "../../../src/family/bonuses.js";
import type {ChildRecord, FamilyStore} from "../../../src/family/familyStore.js";
import {Nights} from "../../../src/family/nights.js";
import {PlanContext} from "../../../src/family/planContext.js";
import type {ChildDay} from "../../../src/family/verdict.js";

const ZONE = "Europe/Berlin";
const EVERY_NIGHT = {bedtime: "19:30", wake: "07:00"};
const at = (day: number, hour: number, minute = 0) => zonedInstant(2026, 11, day, hour * 3600 + minute * 60, ZONE);
const PLAYER = {id: "p1", name: "Bedroom Mini"};

/** Mia's bonuses over a plan context of plain data, on the test's clock: every night 19:30–07:00, voice grants. */
function mia(start: number) {
  const clock = {now: start};
  const days = new Map<string, ChildDay>();
  const journal: string[] = [];
  const child: ChildRecord = {
    id: "mia-id",
    name: "Mia",
    plan: {
      players: [PLAYER.id],
      schedule: Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, EVERY_NIGHT])),
      bonus: {voice: "grant", minutes: 15, daily_cap: 3},
    } as ChildRecord["plan"],
  };
  const data = {
    children: new Map([["Mia", child]]),
    listeners: new Map<string, string>(),
    quiet: new Map(),
    child: () => child,
    day: (name: string) => days.get(name),
    putDay: async (name: string, day: ChildDay) => {
      days.set(name, day);
    },
    addJournal: async (_date: string, entry: {text: string}) => {
      journal.push(entry.text);
    },
  } as unknown as FamilyStore;
  const log = new Logger({level: "error", sink: () => undefined});
  const ctx = new PlanContext({
    data,
    nights: new Nights(ZONE),
    players: {list: () => [], get: () => ({name: PLAYER.name}) as never, command: async () => undefined},
    quietHours: {begin: async () => undefined, end: async () => undefined, period: () => undefined} as never,
    listening: {todaySeconds: () => 0},
    bus: new EventBus(log),
    log,
    now: () => clock.now,
    runStep: async () => undefined,
  });
  const bonuses = new Bonuses(ctx);
  /** The child asks by voice: the plan says grant. */
  const byVoice = () => bonuses.ask(child, PLAYER, "voice");
  /** A card put in at bedtime: the request a parent answers (the page's ask raises the same). */
  const request = () => bonuses.ask(child, PLAYER, "Mia's page", false);
  return {clock, child, bonuses, byVoice, request, journal, day: () => days.get("Mia")};
}

describe("a parent's Not tonight", () => {
  it("stops voice granting a bonus until the next morning's wake, and a parent's own grant still works", async () => {
    const m = mia(at(26, 20, 0));
    expect(await m.request()).toEqual({result: "asked"});
    await m.bonuses.notTonight(m.child, "the Family page");
    // Asked by voice the same evening, then after midnight (a new date, the same night): the no stands.
    expect(await m.byVoice()).toEqual({result: "declined", until: at(27, 7, 0)});
    m.clock.now = at(27, 0, 30);
    expect(await m.byVoice()).toEqual({result: "declined", until: at(27, 7, 0)});
    expect(m.day()?.bonuses).toBe(0);
    expect(m.day()?.bonus).toBeUndefined();
    // The daytime is not quiet: nothing to ask for. The next bedtime, voice grants again.
    m.clock.now = at(27, 12, 0);
    expect(await m.byVoice()).toEqual({result: "not_quiet"});
    m.clock.now = at(27, 20, 0);
    const granted = await m.byVoice();
    expect(granted).toMatchObject({result: "granted", bonus: {minutes: 15, until: at(27, 20, 15), by: "voice"}});
    expect(m.journal).toEqual([
      "Mia asked for one more story (by Mia's page)",
      "Mia's request for one more story: not tonight (by the Family page)",
      "Mia got a bonus of 15 min (by voice; 1 of 3 today)",
    ]);
  });

  it("gives way to the same parent's grant: they changed their mind", async () => {
    const m = mia(at(26, 21, 0));
    await m.request();
    await m.bonuses.notTonight(m.child, "a phone notification");
    expect((await m.byVoice()).result).toBe("declined");
    await m.bonuses.grant(m.child, {minutes: 10}, "the panel");
    expect(m.day()).toMatchObject({bonuses: 1, bonus: {minutes: 10, by: "the panel"}});
    expect(m.day()?.declinedUntil).toBeUndefined();
    // Once that bonus is over, asking by voice is granted again (up to the cap).
    m.clock.now = at(26, 21, 11);
    expect(await m.byVoice()).toMatchObject({result: "granted", bonus: {minutes: 15}});
  });

  it("asked by the page after the no, raises a request for a parent again (once per 10 minutes), never a grant", async () => {
    const m = mia(at(26, 20, 0));
    await m.request();
    await m.bonuses.notTonight(m.child, "the Family page");
    m.clock.now = at(26, 20, 5);
    expect(await m.request()).toEqual({result: "recent", again: at(26, 20, 10)});
    m.clock.now = at(26, 20, 10);
    expect(await m.request()).toEqual({result: "asked"});
    expect(m.day()?.bonuses).toBe(0);
  });
});
