import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {call} from "../../helpers/http.js";
import {type LinkedBridge, linkedBridge} from "../../helpers/linkedBridge.js";
import {nightNow} from "../../helpers/nightNow.js";
import {waitFor} from "../../helpers/players.js";
import {rainStream} from "../../helpers/rainStream.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();
/** A sleep sound's minute, here: its timer ends while the test watches. */
const MINUTE_MS = 2000;

type Entry = {what: string; text: string; minutes?: number};

/** The service with a "rain" stream (a generated tone) and Mia on the Bedroom Mini. */
async function withRain(plan: Record<string, unknown>): Promise<LinkedBridge & {api: typeof call}> {
  const linked = await startLinked({app: {sleepMinuteMs: MINUTE_MS, linkToOwnAudioListener: true}});
  const {t} = linked;
  await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
  await rainStream(t);
  const put = await call("PUT", `${t.adminUrl}/api/children/Mia`, {players: ["Bedroom Mini"], ...plan});
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  const api = (method: string, p: string, body?: unknown) => call(method, `${t.adminUrl}${p}`, body);
  return {...linked, api};
}

const journal = async (api: typeof call) =>
  ((await api("GET", "/api/family/journal")).body as {entries: Entry[]}).entries.filter((e) =>
    e.what.startsWith("sleep"),
  );

describe("a child's sleep sound", () => {
  it("at bedtime plays at the night volume and nothing else starts; a parent's End now stops it; the night's limit refuses the next with a sentence", async () => {
    const {sim, t, api} = await withRain({
      schedule: nightNow(),
      sleep: {sounds: ["stream:rain"], volume: 4, per_night: 1},
    });
    await waitFor(() => sim.player(MINI).volumeMax === 0, "the Mini muted for bedtime");

    // The child's page at night: the moon plays the sleep sound (a device link's own route).
    const page = async () => (await api("GET", "/api/children/Mia/shelf")).body.sleep;
    expect(await page()).toMatchObject({reason: "bedtime", sound: "ready"});
    const moon = await api("POST", "/api/children/Mia/shelf/sleep");
    expect(moon.body).toEqual({outcome: "played", text: "Playing 'Rain' on 'Bedroom Mini' until wake"});
    expect(await page()).toMatchObject({sound: "playing"});
    // The house asks again while it plays: nothing new, nothing counted.
    const started = await api("POST", "/api/children/Mia/sleep", {reason: "Mia is up"});
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body).toMatchObject({
      outcome: "played",
      already: true,
      text: "'Rain' is already playing on 'Bedroom Mini'",
    });
    await waitFor(() => t.app.players.get(MINI).playback.status === "playing", "the rain playing");
    // The player's max volumes held at the sound's step: the child cannot turn it up.
    await waitFor(() => sim.player(MINI).volumeMax === 4 && sim.player(MINI).volume === 4, "volume 4, max 4");

    // Nothing else starts: the parent's API, the child's page.
    const card = await api("POST", `/api/players/${MINI}/commands`, {command: "play_card", cardId: "songs"});
    expect(card.status).toBe(409);
    expect(card.body.error).toMatch(/^Mia is asleep: 'Bedroom Mini' is quiet until tomorrow \d\d:\d\d\. /);
    const state = await api("GET", "/api/children/Mia/sleep");
    expect(state.body).toMatchObject({
      child: "Mia",
      playing: {title: "Rain", reason: "Mia can't sleep", by: "Mia's page", night: true},
      left: 0,
    });
    // The plan's next pass leaves it playing: it is the plan's own, no request for one more story.
    await t.app.family.evaluate();
    expect(t.app.players.get(MINI).playback.status).toBe("playing");
    expect((await api("GET", "/api/children/Mia")).body.request).toBeNull();

    // A parent's End now: the night is over, and so is the sleep sound.
    expect((await api("DELETE", `/api/players/${MINI}/quiet`)).status).toBe(200);
    await waitFor(() => t.app.family.journal(1).some((e) => e.what === "sleep_ended"), "the sound's end journaled");
    expect(t.app.players.get(MINI).playback.status).not.toBe("playing");
    const entries = await journal(api);
    // A test's minute is two seconds: how many it played depends on the machine's pace.
    const words = (e: Entry) => e.text.replace(/ at \d\d:\d\d$/, "").replace(/after \d+ minutes?/, "after N minutes");
    expect(entries.map((e) => [e.what, words(e)])).toEqual([
      ["sleep_ended", "'Rain' stopped on 'Bedroom Mini' after N minutes (a parent ended the night); it started"],
      ["sleep", "Mia can't sleep: 'Rain' on 'Bedroom Mini' at volume 4 until wake"],
    ]);

    // Bedtime again (the plan's next pass, as after End now the next evening): one a night, and this was it.
    expect(
      (
        await api("PUT", "/api/children/Mia", {
          players: ["Bedroom Mini"],
          schedule: nightNow(),
          sleep: {sounds: ["stream:rain"], volume: 4, per_night: 1},
        })
      ).status,
    ).toBe(200);
    await t.app.quietHours.begin(MINI, Date.now() + 3_600_000);
    expect(await page()).toMatchObject({sound: "used"});
    const again = await api("POST", "/api/children/Mia/sleep", {reason: "crying"});
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      outcome: "refused",
      text: "Mia has had 1 sleep sound tonight, as many as the plan allows a night",
    });
    const refused = ((await api("GET", "/api/family/journal")).body as {entries: Entry[]}).entries.find(
      (e) => e.what === "refused",
    );
    expect(refused?.text).toBe(
      "Mia's sleep sound 'Rain', sent from the panel or the API, was not played: Mia has had 1 sleep sound tonight, as many as the plan allows a night",
    );
  });

  it("stops after its minutes with its light dark again; a parent's stop ends the next; by day it is an ordinary start, counted as any listening", async () => {
    const sleep = {sounds: ["stream:rain"], volume: 5, minutes: 2, light: "#FF8800"};
    const {t, sim, api} = await withRain({players: ["Living Room"], sleep});
    // No bedtime now: an ordinary start, at the sound's volume.
    const day = await api("POST", "/api/children/Mia/sleep", {reason: "nap"});
    expect(day.status, JSON.stringify(day.body)).toBe(200);
    expect(day.body).toMatchObject({
      outcome: "played",
      text: "Playing 'Rain' on 'Living Room' for 2 minutes",
      sleep: {night: false},
    });
    await waitFor(() => sim.player(LIVING).volume === 5, "volume 5");
    // The light ring at the plan's colour while it plays (the Living Room's is a v3: it has one).
    await waitFor(() => sim.player(LIVING).nightlight === "0xff8800", "the light ring orange");
    await waitFor(() => t.app.family.journal(1).some((e) => e.what === "sleep_ended"), "its two minutes up");
    expect(t.app.players.get(LIVING).playback.status).not.toBe("playing");
    await waitFor(() => sim.player(LIVING).nightlight === "0x000000", "the light ring dark again");
    expect((await journal(api)).map((e) => [e.what, e.minutes, e.text.replace(/ at \d\d:\d\d$/, "")])).toEqual([
      ["sleep_ended", 2, "'Rain' stopped on 'Living Room' after 2 minutes (its time was up); it started"],
      ["sleep", undefined, "nap: 'Rain' on 'Living Room' at volume 5 for 2 minutes (by day, counted as any listening)"],
    ]);

    // A parent's stop (the Family page, DELETE): it ends at once.
    expect((await api("POST", "/api/children/Mia/sleep", {reason: "again", sound: "STREAM: rain"})).status).toBe(200);
    const stopped = await api("DELETE", "/api/children/Mia/sleep");
    // A sound by day is not one of the night's.
    expect(stopped.body).toMatchObject({playing: null, tonight: [], left: 3});
    expect((await journal(api))[0]?.text).toMatch(
      /^'Rain' stopped on 'Living Room' after \d+ minutes? \(the admin API stopped it\)/,
    );
  });

  it("in quiet hours a parent set plays until they end (the wake), then stops; what is not in the plan is refused with how to fix it", async () => {
    const {t, api} = await withRain({sleep: {sounds: ["stream:rain"]}});
    await t.app.quietHours.begin(MINI, Date.now() + 2000);
    const started = await api("POST", "/api/children/Mia/sleep", {reason: "too warm"});
    expect(started.body).toMatchObject({
      outcome: "played",
      text: "Playing 'Rain' on 'Bedroom Mini' until wake",
      sleep: {night: true},
    });
    await waitFor(() => t.app.family.journal(1).some((e) => e.what === "sleep_ended"), "the wake", 10_000);
    expect((await journal(api))[0]?.text).toMatch(/^'Rain' stopped on 'Bedroom Mini' after \d+ minutes? \(wake\)/);

    // "Mia can't sleep", said to Home Assistant in quiet hours: the same start, in the family's words.
    await t.app.quietHours.begin(MINI, Date.now() + 3_600_000);
    const said = await api("POST", "/api/voice", {trigger: "sleep", slots: {who: "Mia"}, sentence: "Mia can't sleep"});
    expect(said.body).toMatchObject({outcome: "played", speech: "Playing Rain for Mia. Sleep well."});
    const again = await api("POST", "/api/voice", {trigger: "sleep", slots: {who: "mia"}});
    expect(again.body).toMatchObject({outcome: "answered", speech: "Rain is already playing for Mia."});
    await waitFor(
      () => t.app.family.journal(1).filter((e) => e.what === "sleep").length === 2,
      "the voice start journaled",
    );
    expect((await journal(api))[0]?.text).toBe("Mia can't sleep: 'Rain' on 'Bedroom Mini' at volume 4 until wake");
    expect((await api("DELETE", "/api/children/Mia/sleep")).status).toBe(200);

    const other = await api("POST", "/api/children/Mia/sleep", {reason: "up", sound: "stream:waves"});
    expect([other.status, other.body.error]).toEqual([
      400,
      "'stream:waves' is not one of Mia's sleep sounds: stream:rain",
    ]);
    const bad = await api("POST", "/api/children/Mia/sleep", {reason: "", colour: "red"});
    expect([bad.status, bad.body.error]).toEqual([
      400,
      `'colour' is not a field of a sleep sound's start: send "reason" and, if you like, "sound"`,
    ]);
    // Over HTTP the child is the path's: one named in the body is refused, not quietly ignored.
    const named = await api("POST", "/api/children/Mia/sleep", {reason: "up", child: "Leo"});
    expect([named.status, named.body.error]).toEqual([
      400,
      `'child' is not a field of a sleep sound's start: send "reason" and, if you like, "sound"`,
    ]);
    const none = await api("POST", "/api/children/Ben/sleep", {reason: "up"});
    expect([none.status, none.body.error]).toEqual([404, "No child 'Ben' in the family plan: children are Mia"]);
    const plan = await api("PUT", "/api/children/Mia", {
      players: ["Bedroom Mini"],
      sleep: {
        sounds: ["stream:rian", "group:Bedtime", "stream:rain", "stream: rain "],
        volume: 17,
        minutes: 0,
        per_night: 1.5,
        light: "orange",
      },
    });
    expect([plan.status, plan.body.error]).toEqual([
      400,
      `7 mistakes in the plan: 'sleep.sounds[0]' names no stream: did you mean 'stream:rain'? (got "stream:rian"); 'sleep.sounds[1]' is not a sound that plays on and on: use a stream or station ("stream:rain"), a library item ("library:<id>") or a card (got "group:Bedtime"); 'sleep.sounds[3]' is listed twice (got "stream: rain "); 'sleep.volume' must be a whole number of volume steps from 1 to 16 (got 17); 'sleep.minutes' must be a whole number of minutes from 1 to 720 (got 0); 'sleep.per_night' must be a whole number of sleep sounds a night from 1 to 20 (got 1.5); 'sleep.light' must be a colour such as "#ff8800": the light ring's while the sound plays (got "orange")`,
    ]);
    const unplanned = await api("PUT", "/api/children/Mia", {players: ["Bedroom Mini"]});
    expect(unplanned.status).toBe(200);
    const no = await api("POST", "/api/children/Mia/sleep", {});
    expect([no.status, no.body.error]).toEqual([
      409,
      `Mia's plan has no sleep sounds: add them on the Family page (or "sleep": {"sounds": ["stream:<name>"]} in the plan)`,
    ]);
  });
});
