import {mkdir} from "node:fs/promises";
import path from "node:path";
import {describe, expect, it} from "vitest";
import {Logger} from "../../../src/core/logger.js";
import {DEMO_PLAYERS} from "../../../src/sim/simulator.js";
import {Store} from "../../../src/store/store.js";
import type {StreamState} from "../../../src/streams/model.js";
import {makeTone} from "../../helpers/audio.js";
import {call} from "../../helpers/http.js";
import {linkedBridge} from "../../helpers/linkedBridge.js";
import {waitFor} from "../../helpers/players.js";
import {tempDir} from "../../helpers/tmp.js";

const MINI = DEMO_PLAYERS[1]!.deviceId;
const startLinked = linkedBridge();
const RADIO = "story-radio-mia";
const kept = (instead: string) => ({
  error: `Stream names starting with 'story-radio-' are kept for the children's story radios, which story radio makes from each child's shelf: name this stream another way, such as '${instead}' (and put "story-radio" on a child's shelf for that child's own)`,
  code: "story_radio_name",
});

describe("story radio's stream names", () => {
  it("are refused to a stream made by hand, by every way to make one, with what to name it instead", async () => {
    const {t} = await startLinked();
    await makeTone(path.join(t.mediaDir, "owl.mp3"), {seconds: 1, title: "The Owl", quick: true});
    await t.app.library.scan();
    const owl = t.app.library.items().find((i) => i.title === "The Owl")!.id;
    const api = `${t.adminUrl}/api/streams/story-radio-ben-and-leo`;
    const makes: Array<[string, string, unknown]> = [
      ["PUT", api, {items: [owl]}],
      ["PUT", api, {feed: {url: "http://127.0.0.1:9/feed.xml"}}],
      ["PUT", api, {radio: {url: "http://127.0.0.1:9/station.mp3"}}],
      ["POST", `${api}/queue`, {items: [owl]}],
    ];
    for (const [method, url, body] of makes) {
      const res = await call(method, url, body);
      expect({method, url, body, status: res.status, answer: res.body}).toEqual({
        method,
        url,
        body,
        status: 400,
        answer: kept("ben-and-leo-radio"),
      });
    }
    expect(t.app.streams.list().filter((s) => s.name.startsWith("story-radio-"))).toEqual([]);
    // Another name, such as the one it says, is made.
    expect((await call("PUT", `${t.adminUrl}/api/streams/ben-and-leo-radio`, {items: [owl]})).status).toBe(200);
  });

  it("taken by a stream from before (an older version's, following a feed) is taken over when the child comes: journal, log, shelf and voice", async () => {
    // As an older version left it: a stream named like Mia's story radio, following a podcast feed.
    const root = await tempDir("yss-story-radio-name-");
    const dataDir = path.join(root, "data");
    const mediaDir = path.join(root, "media");
    await mkdir(mediaDir, {recursive: true});
    await makeTone(path.join(mediaDir, "owl.mp3"), {seconds: 30, title: "The Owl", bitrate: "32k", quick: true});
    const store = new Store(dataDir, new Logger({level: "error", sink: () => undefined}));
    await store.start();
    const at = new Date().toISOString();
    const old: StreamState = {
      name: RADIO,
      items: [],
      mode: "once",
      presets: {},
      activePreset: null,
      version: 4,
      createdAt: at,
      updatedAt: at,
    };
    await store.namespace<StreamState>("streams").set(RADIO, old);
    await store.namespace("feeds").set(RADIO, {
      config: {url: "http://127.0.0.1:9/tales.xml", keep: 10, order: "oldest_first", refreshEveryMs: 3_600_000},
      validators: {},
      episodes: [],
      skipped: [],
      title: "Bedtime Tales",
    });
    await store.stop();

    const {t} = await startLinked({app: {dataDir, mediaDir, linkToOwnAudioListener: true}});
    await waitFor(() => t.app.players.list().every((p) => p.online), "both players online");
    expect(t.app.feeds.has(RADIO)).toBe(true);
    await t.app.library.scan();
    const owl = t.app.library.items().find((i) => i.title === "The Owl")!.id;
    const plan = {players: ["Bedroom Mini"], shelf: [`library:${owl}`, "story-radio"]};
    expect((await call("PUT", `${t.adminUrl}/api/children/Mia`, plan)).status).toBe(200);

    // Mia's story radio, made there: the feed gone with the stream it followed.
    await waitFor(() => t.app.storyRadio.forChild("Mia") !== undefined, "Mia's story radio");
    expect(t.app.feeds.has(RADIO)).toBe(false);
    expect(t.app.streams.get(RADIO)).toMatchObject({mode: "loop", presets: {}});
    expect(new Set(t.app.streams.get(RADIO).items)).toEqual(new Set([owl]));
    const journal = (await call("GET", `${t.adminUrl}/api/children/Mia`)).body.journal as Array<{
      what: string;
      text: string;
    }>;
    expect(journal.filter((e) => e.what === "story_radio_took_over").map((e) => e.text)).toEqual([
      "A stream named 'story-radio-mia' was there before, following a podcast feed: Mia's story radio took it over and plays Mia's shelf there now.",
    ]);
    expect(t.logs.filter((l) => l.includes("took over the stream"))).toEqual([
      expect.stringContaining(
        "Story radio: took over the stream 'story-radio-mia' for Mia; it was there before, following a podcast feed",
      ),
    ]);

    // The shelf shows the story radio tile, and "play story radio for Mia" plays it.
    const shelf = (await call("GET", `${t.adminUrl}/api/children/Mia/shelf`)).body;
    expect(shelf.missing).toEqual([]);
    expect(shelf.items.map((i: {kind: string; title: string}) => [i.kind, i.title])).toEqual([
      ["item", "The Owl"],
      ["story_radio", "Story radio"],
    ]);
    const said = await call("POST", `${t.adminUrl}/api/voice`, {
      trigger: "play",
      slots: {what: "story radio", who: "Mia"},
    });
    expect(said.body).toMatchObject({speech: "Playing Mia's story radio on Mia's Yoto.", outcome: "played"});
    await waitFor(
      () => t.app.players.get(MINI).playback.chapterTitle === "Mia's story radio",
      "story radio on the Mini",
    );
    expect(
      (await call("POST", `${t.adminUrl}/api/voice`, {trigger: "whats_playing", slots: {who: "Mia"}})).body.speech,
    ).toBe("Mia's Yoto is playing Mia's story radio.");
  }, 60_000);
});
