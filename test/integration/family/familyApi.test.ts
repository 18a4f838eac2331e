import {afterAll, beforeAll, describe, expect, it} from "vitest";
import type {YotoSimulator} from "../../../src/sim/simulator.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {addSongsCard, CLIENT_ID, linkAccount, startSimulator} from "../../helpers/cloud.js";
import {call} from "../../helpers/http.js";
import {waitFor} from "../../helpers/players.js";

const MINI = DEMO_PLAYERS[1]!.deviceId;

/** The admin API of the family plan: every refusal names the field and echoes the value. */
describe("the family plan's API", () => {
  let sim: YotoSimulator;
  let t: TestApp;
  const url = (path: string) => `${t.adminUrl}${path}`;
  const put = (name: string, body: unknown) => call("PUT", url(`/api/children/${encodeURIComponent(name)}`), body);

  beforeAll(async () => {
    sim = await startSimulator();
    addSongsCard(sim);
    t = await startApp(["--yoto_client_id", CLIENT_ID], {cloud: sim.endpoints});
    await linkAccount(t.app.account);
    await waitFor(() => t.app.players.list().length === 2, "players");
  });
  afterAll(async () => {
    await t?.stop();
    await sim?.stop();
  });

  it("refuses bad plans with a 400 that names the field and echoes the value, and saves nothing", async () => {
    const cases: Array<[unknown, string]> = [
      [
        {players: ["Bedrom Mini"]},
        `'players[0]' names no player: players are Living Room, Bedroom Mini (got "Bedrom Mini")`,
      ],
      [{players: []}, "'players' must name at least one player the child uses (got [])"],
      [
        {players: ["Bedroom Mini"], budget: {minutes: -5}},
        "'budget.minutes' must be a whole number of minutes a day from 0 to 1440 (got -5)",
      ],
      [
        {players: ["Bedroom Mini"], budget: {minutes: 100000}},
        "'budget.minutes' must be a whole number of minutes a day from 0 to 1440 (got 100000)",
      ],
      [
        {players: ["Bedroom Mini"], schedule: {funday: {bedtime: "19:30", wake: "07:00"}}},
        `'schedule.funday' is not a weekday: use sun, mon, tue, wed, thu, fri, sat (got "funday")`,
      ],
      [
        {players: ["Bedroom Mini"], schedule: {mon: {bedtime: "19:30", wake: "19:30"}}},
        `'schedule.mon' needs a wake time other than its bedtime: quiet from and until the same minute is no quiet (got {"bedtime":"19:30","wake":"19:30"})`,
      ],
      [
        {players: ["Bedroom Mini"], schedule: {mon: {bedtime: "25:00", wake: "07:00"}}},
        `'schedule.mon.bedtime' must be a time of day such as "19:30" (HH:MM) (got "25:00")`,
      ],
      [
        {players: ["Bedroom Mini"], overrides: [{date: "2020-01-01", quiet: false}]},
        "is in the past (tonight is the evening of ",
      ],
      [
        {players: ["Bedroom Mini"], morning_volume: 0},
        "'morning_volume' must be a whole number of volume steps from 1 to 16 (got 0)",
      ],
      [{players: ["Bedroom Mini"], colour: "red"}, `'colour' is not a field of a child's plan`],
    ];
    for (const [body, message] of cases) {
      const res = await put("Mia", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toContain(message);
    }
    expect((await call("GET", url("/api/children"))).body.children).toEqual([]);
    expect((await put("Bad/Name!", {players: ["Bedroom Mini"]})).status).toBe(400);
  });

  it("keeps children's names in one Unicode form, refuses invisible characters and names that read like a child's", async () => {
    // "Zoë" typed with a combining diaeresis is kept composed, and found in either form.
    const zoe = await put("Zoe\u0308  Ann ", {players: ["Bedroom Mini"]});
    expect(zoe.status).toBe(200);
    expect(zoe.body.name).toBe("Zo\u00eb Ann");
    expect((await call("GET", url(`/api/children/${encodeURIComponent("zoe\u0308 ann")}`))).body.name).toBe(
      "Zo\u00eb Ann",
    );
    const cases: Array<[string, number, string]> = [
      [
        "Zoe Ann",
        409,
        "'Zoe Ann' reads the same as the child 'Zoë Ann' (names that differ only in case, accents or character width read as one): choose a name that reads differently",
      ],
      [
        "Z\u043e\u0451 Ann",
        409,
        "'Zоё Ann' reads the same as the child 'Zoë Ann' (the 'о' in 'Zоё Ann' is U+043E, a letter of another alphabet that looks like 'o'): choose a name that reads differently",
      ],
      [
        "\uff3a\uff4f\u00eb Ann",
        409,
        "'Ｚｏë Ann' reads the same as the child 'Zoë Ann' (names that differ only in case, accents or character width read as one): choose a name that reads differently",
      ],
      [
        "Zo\u200b\u00eb Ann",
        400,
        "A child's name cannot hold invisible characters (U+200B at character 3): type the name again without it",
      ],
    ];
    for (const [name, status, error] of cases) {
      const res = await put(name, {players: ["Living Room"]});
      expect(res.status, name).toBe(status);
      expect(res.body.error).toBe(error);
    }
    expect((await call("GET", url("/api/children"))).body.children.map((c: {name: string}) => c.name)).toEqual([
      "Zo\u00eb Ann",
    ]);
    expect((await call("DELETE", url("/api/children/ZO%C3%8B%20ANN"))).status).toBe(204);
  });

  it("writes who granted a bonus: the panel when its own header says so, else the admin API", async () => {
    expect((await put("Ada", {players: [MINI], bonus: {daily_cap: 3}})).status).toBe(200);
    const fromPanel = await fetch(url("/api/children/Ada/bonus"), {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-Requested-With": "yoto-smart-stream"},
      body: JSON.stringify({minutes: 10}),
    });
    expect(fromPanel.status).toBe(200);
    expect((await call("POST", url("/api/children/Ada/bonus"), {minutes: 5})).status).toBe(200);
    const journal = (await call("GET", url("/api/family/journal"))).body.entries as Array<{what: string; text: string}>;
    // Newest first.
    expect(journal.filter((e) => e.what === "bonus").map((e) => e.text)).toEqual([
      "Ada got a bonus of 5 min more, added to the one running (by the admin API; 2 of 3 today)",
      "Ada got a bonus of 10 min (by the panel; 1 of 3 today)",
    ]);
    expect((await call("DELETE", url("/api/children/Ada"))).status).toBe(204);
  });

  it("keeps a player to one child, lists each child's day, caps bonuses, and lists the plan's rules read-only", async () => {
    const mia = await put("Mia", {
      players: ["Bedroom Mini"],
      budget: {minutes: 60, weekdays: {sat: 90}},
      schedule: {mon: {bedtime: "19:30", wake: "07:00"}},
      bedtime: {wind_down: {minutes: 10}},
      bonus: {daily_cap: 1},
    });
    expect(mia.status).toBe(200);
    expect(mia.body).toMatchObject({name: "Mia", plan: {players: ["Bedroom Mini"]}, minutes_used: 0, request: null});
    const taken = await put("Leo", {players: [MINI]});
    expect(taken.status).toBe(400);
    expect(taken.body.error).toContain("'players[0]' already belongs to Mia: a player belongs to one child at a time");
    const list = (await call("GET", url("/api/children"))).body;
    expect(list.children.map((c: {name: string}) => c.name)).toEqual(["Mia"]);
    expect(list.children[0]).toHaveProperty("minutes_left");
    expect(list.children[0]).toHaveProperty("quiet_until");
    expect((await call("GET", url("/api/children/zed"))).body.error).toBe(
      "No child 'zed' in the family plan: children are Mia",
    );

    expect((await call("POST", url("/api/children/mia/bonus"), {minutes: 15})).status).toBe(200);
    const capped = await call("POST", url("/api/children/Mia/bonus"), {minutes: 15});
    expect(capped.status).toBe(409);
    expect(capped.body.error).toBe(
      "Mia has had 1 bonus today, the daily cap: raise 'bonus.daily_cap' in the plan to allow more",
    );
    const bad = await call("POST", url("/api/children/Mia/bonus"), {minutes: 0});
    expect(bad.body.error).toBe("'minutes' must be a whole number of minutes from 1 to 240 (got 0)");
    expect((await call("POST", url("/api/children/Mia/request/allow"))).body.error).toBe(
      "Mia has no request waiting for an answer",
    );

    const rules = (await call("GET", url("/api/rules"))).body.rules;
    expect(rules.find((r: {id: string}) => r.id === "family_mia_wind_down")).toMatchObject({
      from: "family plan",
      file: "family plan",
    });
    const off = await call("PUT", url("/api/rules/family_mia_wind_down"), {enabled: false});
    expect(off.status).toBe(409);
    expect(off.body.error).toContain("comes from the family plan");

    expect((await call("DELETE", url("/api/children/Mia"))).status).toBe(204);
    expect(
      (await call("GET", url("/api/rules"))).body.rules.some((r: {id: string}) => r.id.startsWith("family_")),
    ).toBe(false);
  });
});
