import {describe, expect, it} from "vitest";
import type {ChildWeek} from "../../../src/family/types.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {nightNow} from "../../helpers/nightNow.js";
import {waitFor} from "../../helpers/players.js";
import {rainStream} from "../../helpers/rainStream.js";

const MINI = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

describe("a child's week, read back", () => {
  it("answers GET …/week, and voice's 'how was Mia's night' and 'what did Mia listen to this week', in English and German", async () => {
    const {t, sim} = await startLinked({app: {linkToOwnAudioListener: true}});
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    await rainStream(t);
    const api = (method: string, p: string, body?: unknown) => call(method, `${t.adminUrl}${p}`, body);
    const plan = {
      players: ["Bedroom Mini"],
      budget: {minutes: 45},
      schedule: nightNow(),
      sleep: {sounds: ["stream:rain"]},
    };
    expect((await api("PUT", "/api/children/Mia", plan)).status).toBe(200);
    await waitFor(() => sim.player(MINI).volumeMax === 0, "the Mini muted for bedtime");
    // Tonight: a play refused, one more story asked, then up: the rain.
    expect((await api("POST", `/api/players/${MINI}/commands`, {command: "play_card", cardId: "songs"})).status).toBe(
      409,
    );
    expect((await api("POST", "/api/children/Mia/shelf/ask")).body.outcome).toBe("asked");
    expect((await api("POST", "/api/children/Mia/sleep", {reason: "crying"})).body.outcome).toBe("played");
    await waitFor(() => t.app.family.journal(1).some((e) => e.what === "sleep"), "the start journaled");
    const started = t.app.sleep.state("Mia").playing?.started_at as string;

    const week = (await api("GET", "/api/children/Mia/week")).body as ChildWeek;
    expect(week.days).toHaveLength(7);
    // Seven days to today on the service's clock (UTC here), oldest first.
    const today = new Date().toISOString().slice(0, 10);
    const day = (back: number) => new Date(Date.parse(today) - back * 86_400_000).toISOString().slice(0, 10);
    expect([week.child, week.from, week.to]).toEqual(["Mia", day(6), today]);
    expect(week.days.map((d) => d.date)).toEqual([6, 5, 4, 3, 2, 1, 0].map(day));
    const tonight = week.days.find((d) => d.night.wakes.length > 0);
    expect(tonight).toMatchObject({
      budget: 45,
      refusals: 1,
      asks: 1,
      night: {wakes: [{at: started, reason: "crying", sound: "Rain"}]},
    });
    expect((await api("GET", "/api/children/Ben/week")).body.error).toBe(
      "No child 'Ben' in the family plan: children are Mia",
    );

    const first = hhmm(Date.parse(started)).replace(/^0/, "");
    const night = await api("POST", "/api/voice", {trigger: "night", slots: {who: "Mia's"}});
    expect(night.body).toMatchObject({
      outcome: "answered",
      speech: `Mia woke once tonight and asked for one more story once, first at ${first}; the sleep sound played less than a minute.`,
    });
    const nacht = await api("POST", "/api/voice", {trigger: "night", slots: {who: "Mias"}, language: "de"});
    expect(nacht.body.speech).toBe(
      `Mia war heute Nacht einmal wach und einmal nach noch einer Geschichte gefragt, zuerst um ${first} Uhr; das Schlafgeräusch lief weniger als eine Minute.`,
    );
    const heard = await api("POST", "/api/voice", {trigger: "week", slots: {who: "Mia"}});
    expect(heard.body).toMatchObject({
      outcome: "answered",
      speech: "Mia listened for less than a minute this week. Mia was up once at night.",
    });
  });
});
