import {readFile} from "node:fs/promises";
import path from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import type {StreamChange, StreamView} from "../../../src/shared/api/streams.js";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {heldFolder} from "../../helpers/heldDlna.js";
import {until} from "../../helpers/icecast.js";
import {hasMp3Frames} from "../../helpers/radio.js";
import {untilAdded} from "../../helpers/streamAdding.js";
import {tempDir} from "../../helpers/tmp.js";

let t: TestApp;
let tone: Buffer;
let ogg: Buffer;

// The services and the test's media servers end with the file (atFileEnd).

const mp3 = () => ({type: "audio/mpeg", bytes: tone});

async function addAll(
  name: string,
  ref: string,
  app = t,
): Promise<{status: number; body: StreamChange & {error?: string}}> {
  const res = await fetch(`${app.adminUrl}/api/streams/${name}/queue`, {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({items: [ref]}),
  });
  return {status: res.status, body: (await res.json()) as StreamChange & {error?: string}};
}

async function stream(name: string): Promise<StreamView> {
  return (await (await fetch(`${t.adminUrl}/api/streams/${name}`)).json()) as StreamView;
}

describe("Add all of a media server folder", () => {
  beforeAll(async () => {
    const dir = await tempDir("yss-addall-");
    tone = await readFile(await makeTone(path.join(dir, "tone.mp3"), {seconds: 1}));
    ogg = await readFile(await makeTone(path.join(dir, "tone.ogg"), {seconds: 1, format: "ogg"}));
    // However busy the machine, the answer waits for the first track: what is held is what is tested.
    t = await startApp(["--audio_normalize", "false"], {streams: {firstWaitMs: 60_000}});
  });

  it("answers with the first track in while the others are still held, fetches a few at a time, then every track follows in order", async () => {
    const nas = await heldFolder(t, ["now", "held", "held", "held", "held", "held"], mp3);
    const answer = await addAll("book", nas.ref);
    expect(answer.status, answer.body.error).toBe(200);
    expect(answer.body.message).toBe("Added 1 item(s) to stream 'book'; 5 more on their way");
    expect(answer.body.stream.items.map((i) => i.title)).toEqual(["Part 1"]);
    expect(answer.body.stream.adding).toEqual({under_way: true, done: 1, total: 6, failed: [], failed_count: 0});
    // Four at once: parts 2 to 5 held, and part 6 not asked for until one of them is done.
    await nas.held(4);
    expect([...nas.asked].sort()).toEqual([1, 2, 3, 4, 5]);

    const done = untilAdded(t.app, "book");
    nas.release();
    expect(await done).toEqual({stream: "book", under_way: false, done: 6, total: 6, failed: [], failed_count: 0});
    const view = await stream("book");
    expect(view.items.map((i) => i.title)).toEqual(["Part 1", "Part 2", "Part 3", "Part 4", "Part 5", "Part 6"]);
    expect(view.adding).toBeNull();
  });

  it("shows a later track the server refuses in the stream's state and the log, with why, and adds the others", async () => {
    const nas = await heldFolder(t, ["now", "held", "held-404", "held"], mp3);
    const answer = await addAll("shaky", nas.ref);
    expect(answer.body.stream.items.map((i) => i.title)).toEqual(["Part 1"]);
    const done = untilAdded(t.app, "shaky");
    nas.release();
    const failed = [{title: "Part 3", reason: "The media server answered 404 for 'Part 3'"}];
    expect(await done).toEqual({stream: "shaky", under_way: false, done: 4, total: 4, failed, failed_count: 1});
    const view = await stream("shaky");
    expect(view.items.map((i) => i.title)).toEqual(["Part 1", "Part 2", "Part 4"]);
    expect(view.adding).toEqual({under_way: false, done: 4, total: 4, failed, failed_count: 1});
    expect(
      t.logs.filter((l) =>
        l.includes(
          "Stream 'shaky': 1 of 4 track(s) could not be added: 'Part 3' (The media server answered 404 for 'Part 3')",
        ),
      ),
    ).toHaveLength(1);
  });

  it("answers within its bound with nothing in yet when even the first track is slow, and the tracks follow", async () => {
    const quick = await startApp(["--audio_normalize", "false"], {streams: {firstWaitMs: 300}});
    const nas = await heldFolder(quick, ["held", "held"], mp3);
    const answer = await addAll("slow", nas.ref, quick);
    expect(answer.status, answer.body.error).toBe(200);
    expect(answer.body.message).toBe("Added 1 item(s) to stream 'slow'; 2 more on their way");
    expect(answer.body.stream.items).toEqual([]);
    expect(answer.body.stream.adding).toEqual({under_way: true, done: 0, total: 2, failed: [], failed_count: 0});
    const done = untilAdded(quick.app, "slow");
    nas.release();
    await done;
    expect(quick.app.streams.get("slow").items.map((id) => quick.app.library.get(id)?.title)).toEqual([
      "Part 1",
      "Part 2",
    ]);
  });

  it("leaves out what is still on its way once the family clears the queue, and says so", async () => {
    const nas = await heldFolder(t, ["now", "held", "held"], mp3);
    expect((await addAll("cleared", nas.ref)).body.stream.items.map((i) => i.title)).toEqual(["Part 1"]);
    const cleared = await fetch(`${t.adminUrl}/api/streams/cleared/queue`, {method: "DELETE"});
    expect(cleared.status).toBe(200);
    const line = "Stream 'cleared': 2 track(s) on their way were left out: the queue was cleared";
    await until(() => t.logs.some((l) => l.includes(line)), "the fill to end");
    nas.release();
    const view = await stream("cleared");
    expect(view.items).toEqual([]);
    expect(view.adding).toBeNull();
  });

  it("keeps an MP3 as it is with normalising off, and makes MP3 of what only claims to be one", async () => {
    // Part 2 is Ogg Vorbis served as audio/mpeg at a .mp3 address.
    const nas = await heldFolder(t, ["now", "now"], (part) => (part === 1 ? mp3() : {type: "audio/mpeg", bytes: ogg}));
    const answer = await addAll("mixed", nas.ref);
    expect(answer.status, answer.body.error).toBe(200);
    await untilAdded(t.app, "mixed");
    const view = await stream("mixed");
    expect(view.items.map((i) => i.title)).toEqual(["Part 1", "Part 2"]);
    const folder = path.join(t.dataDir, "uploads", "media-servers", nas.serverId);
    expect((await readFile(path.join(folder, "Part 1.mp3"))).equals(tone)).toBe(true);
    const made = await readFile(path.join(folder, "Part 2.mp3"));
    expect(made.subarray(0, 4).toString("latin1")).not.toBe("OggS");
    expect(hasMp3Frames(made)).toBe(true);
  });
});
