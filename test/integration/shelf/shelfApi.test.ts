import path from "node:path";
import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {makeTone} from "../../helpers/audio.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";

const MINI = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const everyNight = (night: {bedtime: string; wake: string}) =>
  Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, night]));

describe("a child's shelf over HTTP", () => {
  it("lists what the child may play with covers that load, names what is gone, and a tap storm is one play", async () => {
    const chapter = (n: number) => ({
      key: `0${n}`,
      title: `Tale ${n}`,
      tracks: [{key: "01", title: `Tale ${n}`, trackUrl: "yoto:#x", type: "audio" as const, duration: 300}],
    });
    const {sim, t} = await startLinked({
      prepare: (s) => s.addCard({cardId: "tales", title: "Tales", content: {chapters: [1, 2, 3, 4, 5].map(chapter)}}),
    });
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    await makeTone(path.join(t.mediaDir, "hum.mp3"), {seconds: 1, title: "Humming"});
    await t.app.library.scan();
    const hum = t.app.library.items()[0]!.id;
    expect((await call("PUT", `${t.adminUrl}/api/streams/lullabies`, {items: [hum]})).status).toBe(200);
    const shelf = ["Songs", "stream:lullabies", `library:${hum}`, "gone card", "<b>Bold</b>"];
    expect((await call("PUT", `${t.adminUrl}/api/children/Mia`, {players: ["Bedroom Mini"], shelf})).status).toBe(200);

    const read = await call("GET", `${t.adminUrl}/api/children/Mia/shelf`);
    expect(read.status).toBe(200);
    expect(read.body.items.map((i: {id: string; kind: string; title: string}) => [i.id, i.kind, i.title])).toEqual([
      ["card:songs", "card", "Songs"],
      ["stream:lullabies", "stream", "Lullabies"],
      [`library:${hum}`, "item", "Humming"],
    ]);
    expect(read.body.missing).toEqual([
      {ref: "gone card", why: "is not among the family's cards now (removed from the library, or not linked)"},
      {ref: "<b>Bold</b>", why: "is not among the family's cards now (removed from the library, or not linked)"},
    ]);
    expect(read.body).toMatchObject({child: "Mia", playable: true, sleep: null, ask: {state: "none", left: 3}});
    expect(read.body.player).toMatchObject({id: MINI, name: "Bedroom Mini", online: true});
    for (const item of read.body.items) {
      const res = await fetch(`${t.adminUrl}/${item.cover}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/svg+xml");
      expect(await res.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
    expect((await fetch(`${t.adminUrl}/api/shelf/covers/..%2Fsecret.svg`)).status).toBe(404);

    // Mistakes in the plan's shelf, said as the parent must fix them.
    const tooMany = await call("PUT", `${t.adminUrl}/api/children/Mia`, {
      players: ["Bedroom Mini"],
      shelf: Array.from({length: 500}, (_, i) => `card ${i}`),
    });
    expect(tooMany.body.error).toBe(
      `'shelf' must be a list of at most 100 things to play (a card, "group:<name>", "story:<title>", "stream:<name>", "library:<id>", "story-radio") (got "500 items")`,
    );
    const typo = await call("PUT", `${t.adminUrl}/api/children/Mia`, {
      players: ["Bedroom Mini"],
      shelf: ["stream:lulabies", "Songs", "songs"],
    });
    expect(typo.body.error).toBe(
      `2 mistakes in the plan: 'shelf[0]' names no stream: did you mean 'stream:lullabies'? (got "stream:lulabies"); 'shelf[2]' is on the shelf twice (got "songs")`,
    );
    const twice = await call("PUT", `${t.adminUrl}/api/children/Mia`, {
      players: ["Bedroom Mini"],
      shelf: ["Stream:lullabies", "stream: lullabies ", "STORY-RADIO", "story-radio", "stream:story-radio-ben"],
    });
    expect(twice.body.error).toBe(
      `3 mistakes in the plan: 'shelf[1]' is on the shelf twice (got "stream: lullabies "); 'shelf[3]' is on the shelf twice (got "story-radio"); 'shelf[4]' is a child's story radio: put "story-radio" on a shelf for that child's own (got "stream:story-radio-ben")`,
    );
    const onlyEmpty = await call("GET", `${t.adminUrl}/api/events?only=family.changed,`);
    expect(onlyEmpty.status).toBe(400);
    expect(onlyEmpty.body.error).toMatch(
      /^'only' must name live events, separated by commas \(not an empty name\); they are /,
    );
    expect((await call("GET", `${t.adminUrl}/api/children/Nobody/shelf`)).body).toEqual({
      error: "No child 'Nobody' in the family plan: children are Mia",
      code: "no_child",
    });
    expect((await call("POST", `${t.adminUrl}/api/children/Mia/shelf/play`, {id: "card:other"})).body).toEqual({
      error: `'card:other' is not on Mia's shelf: it holds card:songs, stream:lullabies, library:${hum}`,
      code: "not_on_shelf",
    });
    expect((await call("POST", `${t.adminUrl}/api/children/Mia/shelf/play`, {})).status).toBe(400);

    // Twenty taps at once (a toddler): one play, the rest told at once that a tap was just taken.
    const before = t.app.players.stats.commands;
    const ids = read.body.items.map((i: {id: string}) => i.id);
    const taps = await Promise.all(
      Array.from({length: 20}, (_, i) => call("POST", `${t.adminUrl}/api/children/Mia/shelf/play`, {id: ids[i % 3]})),
    );
    const played = taps.filter((r) => r.status === 200);
    expect(played).toHaveLength(1);
    expect(played[0]!.body.outcome).toBe("played");
    expect(taps.filter((r) => r.status === 429).every((r) => r.body.outcome === "busy")).toBe(true);
    expect(t.app.players.stats.commands - before).toBe(1);
    await waitFor(() => t.app.players.get(MINI).playback.status === "playing", "the Mini playing what was tapped");

    // The volume, within the max volume in force; a step outside 0-16 is refused in words.
    expect(
      (await call("POST", `${t.adminUrl}/api/children/Mia/shelf/control`, {action: "volume", volume: 99})).body.error,
    ).toBe("'volume' must be a whole number of steps from 0 to 16 (got 99)");
    expect(
      (await call("POST", `${t.adminUrl}/api/children/Mia/shelf/control`, {action: "volume", volume: 4})).body.outcome,
    ).toBe("done");
    await waitFor(() => t.app.players.get(MINI).volume.level === 4, "the Mini at volume 4");

    // A storm of "next" on a card of five chapters: one skip, the rest told at once.
    expect(sim.player(MINI).insertCard("tales")).toBe(true);
    await waitFor(() => t.app.players.get(MINI).playback.cardId === "tales", "the tales card playing");
    const sent = t.app.players.stats.commands;
    const nexts = await Promise.all(
      Array.from({length: 20}, () => call("POST", `${t.adminUrl}/api/children/Mia/shelf/control`, {action: "next"})),
    );
    expect(nexts.filter((r) => r.status === 429)).toHaveLength(19);
    expect(t.app.players.stats.commands - sent).toBe(1);
  }, 60_000);

  it("sleeps at bedtime: a tap is refused and written in the journal, one more story waits for the parent's answer", async () => {
    const {t} = await startLinked();
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    const schedule = everyNight({bedtime: hhmm(Date.now() - 3_600_000), wake: hhmm(Date.now() - 7_200_000)});
    const plan = {players: ["Bedroom Mini"], schedule, shelf: ["Songs"]};
    expect((await call("PUT", `${t.adminUrl}/api/children/Mia`, plan)).status).toBe(200);
    await waitFor(() => t.app.quietHours.period(MINI) !== undefined, "Mia's bedtime");

    const asleep = (await call("GET", `${t.adminUrl}/api/children/Mia/shelf`)).body;
    const wake = new Date(Date.now() - 7_200_000 + 86_400_000);
    expect(asleep).toMatchObject({
      playable: false,
      sleep: {reason: "bedtime", hour: wake.getUTCHours(), minute: wake.getUTCMinutes()},
      ask: {state: "none"},
    });
    const before = t.app.players.stats.commands;
    const tap = await call("POST", `${t.adminUrl}/api/children/Mia/shelf/play`, {id: "card:songs"});
    expect(tap.body.outcome).toBe("asleep");
    expect(t.app.players.stats.commands).toBe(before);
    const journal = (await call("GET", `${t.adminUrl}/api/children/Mia`)).body.journal;
    expect(
      journal.some(
        (e: {what: string; text: string}) =>
          e.what === "refused" && e.text.startsWith("'Songs', tapped on Mia's page, was not played"),
      ),
    ).toBe(true);

    expect((await call("POST", `${t.adminUrl}/api/children/Mia/shelf/ask`)).body.outcome).toBe("asked");
    expect((await call("POST", `${t.adminUrl}/api/children/Mia/shelf/ask`)).body.outcome).toBe("waiting");
    expect((await call("GET", `${t.adminUrl}/api/children/Mia/shelf`)).body.ask.state).toBe("waiting");
    const mia = (await call("GET", `${t.adminUrl}/api/children/Mia`)).body;
    expect(mia.request).toMatchObject({child: "Mia", player: "Bedroom Mini", reason: "bedtime"});

    // The parent says not tonight: the page shows it, and no button is offered again tonight.
    expect((await call("POST", `${t.adminUrl}/api/children/Mia/request/not_tonight`)).status).toBe(200);
    expect((await call("GET", `${t.adminUrl}/api/children/Mia/shelf`)).body).toMatchObject({
      sleep: {reason: "bedtime"},
      ask: {state: "not_tonight"},
    });
  }, 60_000);
});
