import {rm} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {makeTone} from "../../helpers/audio.js";
import {DmrLikeDevice, trackServer} from "../../helpers/dmrDevice.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {putStream} from "../../helpers/radio.js";
import {miniRenderer} from "../../helpers/upnpHttp.js";

const LIVING = DEMO_PLAYERS[0]!.deviceId;
const MINI = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();

describe("voice requests over HTTP and MQTT", () => {
  it("answers POST /api/voice as the bridge does, and refuses a body without a known trigger in words", async () => {
    const {sim, t} = await startLinked();
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    const voice = (body: unknown) => call("POST", `${t.adminUrl}/api/voice`, body);
    expect(
      (await call("PUT", `${t.adminUrl}/api/children/Ben`, {players: ["Living Room"], budget: {minutes: 45}})).status,
    ).toBe(200);

    const none = await voice({sentence: "play songs"});
    expect(none.status).toBe(400);
    expect(none.body.code).toBe("bad_voice_request");
    expect(none.body.error).toMatch(/^A voice request needs its 'trigger'/);
    expect((await voice({trigger: "sing"})).body.error).toBe(
      "I don't know the voice trigger 'sing': the triggers are play, choose, one_more_story, sleep, pause, resume, stop, next, previous, volume_up, volume_down, volume_set, stop_all, whats_playing, listened, bedtime, week, night; give your own sentences to one of them",
    );
    expect((await voice([1, 2])).status).toBe(400);

    // Asked twice with one transaction (a retry): answered twice, played once.
    const before = t.app.players.stats.commands;
    const ask = {trigger: "play", slots: {what: "songs", who: "Ben's"}, transaction: "01JSAME"};
    const first = await voice(ask);
    expect(first.body).toMatchObject({
      speech: "Playing “Songs” on Ben's Yoto.",
      outcome: "played",
      child: "Ben",
      player: "Living Room",
      title: "Songs",
    });
    expect((await voice(ask)).body).toEqual(first.body);
    expect(t.app.players.stats.commands - before).toBe(1);

    expect((await voice({trigger: "listened", slots: {who: "ben"}})).body.speech).toMatch(
      /^Ben listened for (less than a minute|\d+ minutes?) today; \d+ minutes left\.$/,
    );
    expect((await voice({trigger: "bedtime", slots: {who: "Ben"}})).body.speech).toBe(
      "Ben has no bedtime in the family plan.",
    );
    // A child's player stands for the child; a player nobody has is nobody's bedtime.
    expect((await voice({trigger: "bedtime", slots: {who: "the living room"}})).body.speech).toBe(
      "Ben has no bedtime in the family plan.",
    );
    expect((await voice({trigger: "bedtime", slots: {who: "Bedroom Mini"}})).body.speech).toBe(
      "Bedroom Mini is not a child in the family plan.",
    );
    expect((await voice({trigger: "one_more_story", slots: {who: "Ben"}, language: "de"})).body.speech).toBe(
      "Ben darf jetzt hören: sag einfach, was ich spielen soll.",
    );
    // Slots as a speech engine may hear them: empty, long, another script, template syntax.
    for (const what of ["", "x".repeat(2000), "眠いドラゴン", "{{ states('sensor.x') }}", "'"])
      expect((await voice({trigger: "play", slots: {what, who: "Ben"}})).status).toBe(200);

    // "pause the story on Ben's Yoto", as HA's wildcard takes it: the name after the joining word.
    expect((await voice({trigger: "pause", slots: {who: "the story on Ben's"}})).body.speech).toBe(
      "Paused Ben's Yoto.",
    );
    await waitFor(() => t.app.players.get(LIVING).playback.status === "paused", "Ben's Yoto paused");
    // Next on a card's last track: said so, not "try again".
    expect((await voice({trigger: "next", slots: {who: "Ben"}})).body).toMatchObject({
      speech: "That's the last one on Ben's Yoto.",
      outcome: "answered",
    });
    sim.player(MINI).setOnline(false);
    await waitFor(() => t.app.players.get(MINI).online === false, "the Mini offline");
    expect((await voice({trigger: "pause", slots: {who: "Bedroom Mini"}})).body).toMatchObject({
      speech: "Bedroom Mini is offline.",
      outcome: "offline",
    });
    expect((await voice({trigger: "whats_playing", slots: {who: "Bedroom Mini"}})).body.speech).toBe(
      "Bedroom Mini is offline.",
    );
    expect(t.app.players.get(LIVING).playback.cardId).toBe("songs");
  }, 60_000);

  it("writes no audit line for a question, and audits a flood of actions through the flood summary", async () => {
    const {t} = await startLinked({app: {floodWindowMs: 1000}});
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    const voice = (body: unknown) => call("POST", `${t.adminUrl}/api/voice`, body);
    const audited = () => t.logs.filter((l) => l.includes("(audit)") && l.includes("POST /api/voice"));
    for (let i = 0; i < 40; i++) {
      expect((await voice({trigger: "whats_playing", slots: {who: "Bedroom Mini"}})).status).toBe(200);
      expect((await voice({trigger: "pause", slots: {who: "Bedroom Mini"}})).status).toBe(200);
    }
    // Per window (1 s here) the first five actions in full, the rest said once when it closes; no
    // question. A busy machine spreads the 40 over more than one window: each is counted.
    const counted = () =>
      t.logs.reduce(
        (n, l) => n + Number(/… and (\d+) more like it in the last 1 s \(\/api\/voice\)/.exec(l)?.[1] ?? 0),
        0,
      );
    const summaries = () => t.logs.filter((l) => l.includes("more like it in the last 1 s (/api/voice)")).length;
    await waitFor(() => audited().length + counted() === 40, "every action audited or counted");
    expect(audited().length).toBeGreaterThanOrEqual(5);
    expect(audited().length).toBeLessThanOrEqual(5 * (summaries() + 1));
    expect(audited().every((l) => /POST \/api\/voice → 200 by /.test(l))).toBe(true);
  }, 60_000);

  it("grants at once where the plan says so, up to the cap", async () => {
    const {t, watcher: w} = await startLinked();
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    const plan = {players: ["Living Room"], budget: {minutes: 0}, bonus: {voice: "grant", minutes: 20, daily_cap: 1}};
    expect((await call("PUT", `${t.adminUrl}/api/children/Ben`, plan)).status).toBe(200);
    await waitFor(() => w.lastJson("yoto/bridge/family")?.children?.Ben?.quiet === true, "Ben quiet");
    const voice = (body: unknown) => call("POST", `${t.adminUrl}/api/voice`, body);
    expect((await voice({trigger: "listened", slots: {who: "Ben"}})).body.speech).toBe(
      "Ben listened for less than a minute today; that's all for today.",
    );
    expect((await voice({trigger: "one_more_story", slots: {who: "Ben"}})).body).toMatchObject({
      speech: "Ben can have one more story: 20 more minutes.",
      outcome: "granted",
    });
    await waitFor(() => w.lastJson("yoto/bridge/family")?.children?.Ben?.quiet === false, "Ben's bonus running");
    // Listening under the bonus: nothing to ask for.
    expect((await voice({trigger: "one_more_story", slots: {who: "Ben"}})).body.speech).toBe(
      "Ben can listen now: just ask me to play a story.",
    );
    expect(
      (await call("PUT", `${t.adminUrl}/api/children/Ben`, {...plan, bonus: {voice: "sing"}})).body.error,
    ).toContain("bonus.voice");
  }, 60_000);

  it("says a bedtime passed under a bonus as such, and a parent's quiet hours where one more story cannot help", async () => {
    const {t} = await startLinked();
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    const voice = (body: unknown) => call("POST", `${t.adminUrl}/api/voice`, body);
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    const night = {bedtime: hhmm(Date.now() - 3_600_000), wake: hhmm(Date.now() - 7_200_000)};
    const schedule = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, night]));
    const plan = {players: ["Living Room"], schedule, bonus: {voice: "grant", minutes: 30}};
    expect((await call("PUT", `${t.adminUrl}/api/children/Ben`, plan)).status).toBe(200);
    await waitFor(() => t.app.quietHours.period(LIVING) !== undefined, "Ben's bedtime");
    expect((await voice({trigger: "one_more_story", slots: {who: "Ben"}})).body.outcome).toBe("granted");
    await waitFor(() => t.app.quietHours.period(LIVING) === undefined, "the bonus lifting bedtime");
    const ben = (await call("GET", `${t.adminUrl}/api/children/Ben`)).body;
    // As the answer says a time in the family's zone (UTC here): with its day when not today. Run
    // late in the evening, the bonus ends tomorrow; just after midnight, bedtime was yesterday.
    const spoken = (iso: string) => {
      const at = new Date(iso);
      const clock = `${at.getUTCHours()}:${String(at.getUTCMinutes()).padStart(2, "0")}`;
      const days = Math.round(
        (Date.parse(iso.slice(0, 10)) - Date.parse(new Date().toISOString().slice(0, 10))) / 86_400_000,
      );
      if (at.getUTCHours() === 0 && at.getUTCMinutes() === 0 && days <= 1) return "midnight";
      if (days === 0) return clock;
      if (days === 1) return `${clock} tomorrow`;
      return `${clock} on ${at.toLocaleDateString("en-US", {weekday: "long", timeZone: "UTC"})}`;
    };
    const bedtime = ben.tonight.find((s: {step: string}) => s.step === "bedtime").at as string;
    expect((await voice({trigger: "bedtime", slots: {who: "Ben"}})).body.speech).toBe(
      `Ben has a bonus until ${spoken(ben.bonus.until)}; bedtime was at ${spoken(bedtime)}.`,
    );

    // Mia's Mini in quiet hours a parent set: asking for one more story is answered with them.
    expect((await call("PUT", `${t.adminUrl}/api/children/Mia`, {players: ["Bedroom Mini"]})).status).toBe(200);
    const until = hhmm(Date.now() + 3 * 3_600_000);
    expect((await call("POST", `${t.adminUrl}/api/players/${MINI}/quiet`, {until})).status).toBe(200);
    const asked = await voice({trigger: "one_more_story", slots: {who: "Mia"}});
    expect(asked.body.outcome).toBe("refused");
    // Said as a clock, or as "midnight" when the three hours end at 0:00.
    const said = until === "00:00" ? "midnight" : `${Number(until.slice(0, 2))}:${until.slice(3)}( tomorrow)?`;
    expect(asked.body.speech).toMatch(new RegExp(`^Mia's Yoto is quiet until ${said}\\.$`));
    // The volume asked in quiet hours a parent set says when they end, not the time it was asked:
    // on a child's player the plan does not hold (Ben's), and on Mia's.
    expect((await call("POST", `${t.adminUrl}/api/players/${LIVING}/quiet`, {until})).status).toBe(200);
    await waitFor(() => t.app.players.get(LIVING).volume.max === 0, "the Living Room's max volume at 0");
    await waitFor(() => t.app.players.get(MINI).volume.max === 0, "the Mini's max volume at 0");
    for (const [who, whose] of [
      ["Ben", "Ben's Yoto"],
      ["Mia", "Mia's Yoto"],
    ])
      for (const trigger of ["volume_up", "volume_set"]) {
        const louder = await voice({trigger, slots: {who, level: "5"}});
        expect(louder.body.outcome).toBe("refused");
        expect(louder.body.speech).toMatch(new RegExp(`^${whose} is quiet until ${said}\\.$`));
      }
  }, 60_000);

  it("says story radio has nothing to play when the audio its shelf named is gone, and starts nothing", async () => {
    const {t} = await startLinked();
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    const voice = (body: unknown) => call("POST", `${t.adminUrl}/api/voice`, body);
    const file = path.join(t.mediaDir, "owl.mp3");
    await makeTone(file, {seconds: 5, title: "The Owl", bitrate: "32k", quick: true});
    await t.app.library.scan();
    const owl = t.app.library.items().find((i) => i.title === "The Owl")!.id;
    const plan = {players: ["Living Room"], shelf: [`library:${owl}`]};
    expect((await call("PUT", `${t.adminUrl}/api/children/Ben`, plan)).status).toBe(200);
    await waitFor(() => t.app.storyRadio.forChild("Ben") !== undefined, "Ben's story radio");
    // The file goes: the shelf still names the item, and story radio has nothing left to play.
    await rm(file);
    await t.app.library.scan();
    await waitFor(() => t.app.storyRadio.forChild("Ben") === undefined, "Ben's story radio empty");
    const before = t.app.players.stats.commands;
    const asked = await voice({trigger: "play", slots: {what: "story radio", who: "Ben"}});
    expect(asked.body).toMatchObject({
      speech:
        "Ben's story radio has nothing to play yet: it plays the library items, streams and podcasts on Ben's shelf.",
      outcome: "not_found",
    });
    expect(t.app.players.stats.commands).toBe(before);
  }, 60_000);

  it("names what plays on the service's own cards as the family does: story radio, a station, a cast", async () => {
    const s = await miniRenderer(startLinked, [], {linkToOwnAudioListener: true});
    const {t} = s;
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    const voice = (body: unknown) => call("POST", `${t.adminUrl}/api/voice`, body);
    const whatsOn = async (language = "en") =>
      (await voice({trigger: "whats_playing", slots: {who: "Mia"}, language})).body.speech;
    await makeTone(path.join(t.mediaDir, "owl.mp3"), {seconds: 30, title: "The Owl", bitrate: "32k", quick: true});
    await t.app.library.scan();
    const owl = t.app.library.items().find((i) => i.title === "The Owl")!.id;
    const plan = {players: ["Bedroom Mini"], shelf: [`library:${owl}`, "story-radio"]};
    expect((await call("PUT", `${t.adminUrl}/api/children/Mia`, plan)).status).toBe(200);
    await waitFor(() => t.app.storyRadio.forChild("Mia") !== undefined, "Mia's story radio");

    expect((await voice({trigger: "play", slots: {what: "story radio", who: "Mia"}})).body.outcome).toBe("played");
    await waitFor(
      () => t.app.players.get(MINI).playback.chapterTitle === "Mia's story radio",
      "story radio on the Mini",
    );
    expect(await whatsOn()).toBe("Mia's Yoto is playing Mia's story radio.");
    expect(await whatsOn("de")).toBe("Auf Mias Yoto läuft Mias Geschichtenradio.");

    // A station by the name it is asked for by, never its stream's.
    const ma = await trackServer({tone: {seconds: 30}, moon: {seconds: 30}});
    const put = await putStream(t, "tone-fm", {radio: {url: ma.url("tone")}});
    expect(put.status, put.body.error).toBe(200);
    const station = await voice({trigger: "play", slots: {what: "the station tone fm", who: "Mia"}});
    expect(station.body).toMatchObject({outcome: "played", title: "Tone fm"});
    await waitFor(() => t.app.players.get(MINI).playback.chapterTitle === "Tone fm", "the station on the Mini");
    expect(await whatsOn()).toBe("Mia's Yoto is playing “Tone fm”.");

    // A cast (Music Assistant's queue) on the relay card: its track's title, not "Announcement".
    const dmr = await DmrLikeDevice.open(s.base);
    await dmr.setUri(ma.url("moon"), "Blue Moon", 30);
    await dmr.play();
    await waitFor(() => dmr.state.TransportState === "PLAYING", "the cast playing");
    await waitFor(() => t.app.announcer.isRelayCard(t.app.players.get(MINI).playback.cardId ?? ""), "the relay card");
    expect(await whatsOn()).toBe("Mia's Yoto is playing “Blue Moon”.");
  }, 60_000);

  it("holds a parent's Not tonight over a plan that grants by voice, and a parent's own bonus still goes", async () => {
    const {t} = await startLinked();
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    const voice = (body: unknown) => call("POST", `${t.adminUrl}/api/voice`, body);
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    const night = {bedtime: hhmm(Date.now() - 3_600_000), wake: hhmm(Date.now() - 7_200_000)};
    const schedule = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, night]));
    const plan = {players: ["Living Room"], schedule, bonus: {voice: "grant", minutes: 30}};
    expect((await call("PUT", `${t.adminUrl}/api/children/Ben`, plan)).status).toBe(200);
    await waitFor(() => t.app.quietHours.period(LIVING) !== undefined, "Ben's bedtime");

    // Ben asks on his page; a parent answers Not tonight.
    expect((await call("POST", `${t.adminUrl}/api/children/Ben/shelf/ask`)).body.outcome).toBe("asked");
    expect((await call("POST", `${t.adminUrl}/api/children/Ben/request/not_tonight`)).status).toBe(200);
    const quietUntil = (await call("GET", `${t.adminUrl}/api/children/Ben`)).body.quiet_until as string;
    const wake = new Date(quietUntil);
    const day = wake.toISOString().slice(0, 10) === new Date().toISOString().slice(0, 10) ? "" : " tomorrow";
    const at = `${wake.getUTCHours()}:${String(wake.getUTCMinutes()).padStart(2, "0")}${day}`;

    // Asked by voice instead: the plan would grant, the parent's no wins, in the family's words.
    for (const language of ["en", "de"]) {
      const asked = await voice({trigger: "one_more_story", slots: {who: "Ben"}, language});
      expect(asked.body).toMatchObject({outcome: "refused", child: "Ben"});
      expect(asked.body.speech).toBe(
        language === "en"
          ? `A parent said not tonight: Ben can listen again at ${at}.`
          : `Ein Elternteil hat heute Nein gesagt: Ben darf ab ${day ? `morgen um ${at.slice(0, -9)}` : at} Uhr wieder hören.`,
      );
    }
    const ben = (await call("GET", `${t.adminUrl}/api/children/Ben`)).body;
    expect(ben).toMatchObject({bonus: null, quiet_until: quietUntil});
    expect(t.app.quietHours.period(LIVING)).toBeDefined();

    // The parent changes their mind: their own bonus goes, and lifts the quiet.
    expect((await call("POST", `${t.adminUrl}/api/children/Ben/bonus`, {minutes: 10})).status).toBe(200);
    await waitFor(() => t.app.quietHours.period(LIVING) === undefined, "the parent's bonus lifting bedtime");
  }, 60_000);

  it("answers every one of 100 requests at once from a stuck automation, acts on the first few, and stays up", async () => {
    const {t, watcher: w} = await startLinked();
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    const body = (i: number) =>
      JSON.stringify({trigger: "whats_playing", slots: {who: "living room"}, transaction: `stuck-${i}`});
    await Promise.all(Array.from({length: 100}, (_, i) => w.client.publishAsync("yoto/bridge/request/voice", body(i))));
    const answers = () => w.seen.filter((m) => m.topic === "yoto/bridge/response/voice");
    await waitFor(() => answers().length === 100, "100 answers", 20_000);
    const speech = answers().map((m) => JSON.parse(m.payload).data.speech as string);
    // The first 20 at least are acted on; past the burst, how many wait depends on how fast they
    // came (the limiter's own test counts them with a clock of its own).
    expect(speech.filter((s) => s === "Nothing is playing on Living Room.").length).toBeGreaterThanOrEqual(20);
    expect(
      speech.filter(
        (s) => s !== "Nothing is playing on Living Room." && s !== "Too many requests at once. Try again in a moment.",
      ),
    ).toEqual([]);
    // Questions only read: a flood of them is answered, every one.
    const ask = (i: number) =>
      JSON.stringify({trigger: "whats_playing", slots: {who: "living room"}, transaction: `ask-${i}`});
    await Promise.all(Array.from({length: 100}, (_, i) => w.client.publishAsync("yoto/bridge/request/voice", ask(i))));
    await waitFor(() => answers().length === 200, "100 more answers", 20_000);
    expect(
      answers()
        .slice(100)
        .every((m) => JSON.parse(m.payload).data.speech === "Nothing is playing on Living Room."),
    ).toBe(true);
    await w.handledSoFar();
    // The log says the flood in a few lines and a count, not a hundred.
    expect(t.logs.filter((l) => l.includes("too many requests at once")).length).toBeLessThanOrEqual(5);
  }, 60_000);
});
