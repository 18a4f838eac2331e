import path from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {startApp, type TestApp} from "../../helpers/app.js";
import {makeTone} from "../../helpers/audio.js";
import {jsonOf} from "../../helpers/http.js";
import {tempDir} from "../../helpers/tmp.js";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function setup() {
  const root = await tempDir();
  const mediaDir = path.join(root, "media");
  await makeTone(path.join(mediaDir, "songs", "a.mp3"), {seconds: 1, frequency: 300});
  await makeTone(path.join(mediaDir, "songs", "b.mp3"), {seconds: 1, frequency: 400});
  await makeTone(path.join(mediaDir, "songs", "c.mp3"), {seconds: 1, frequency: 500});
  await makeTone(path.join(mediaDir, "songs", "d.ogg"), {seconds: 1});
  const dirs = {dataDir: path.join(root, "data"), mediaDir};
  t = await startApp([], dirs);
  const byPath = Object.fromEntries(t.app.library.items().map((i) => [i.relPath, i.id]));
  return {
    dirs,
    a: byPath["songs/a.mp3"] as string,
    b: byPath["songs/b.mp3"] as string,
    c: byPath["songs/c.mp3"] as string,
  };
}

const call = async (p: string, method = "GET", body?: unknown) => {
  const res = await fetch(`${t!.adminUrl}/api/streams${p}`, {
    method,
    headers: body === undefined ? {} : {"Content-Type": "application/json"},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {status: res.status, body: await jsonOf(res)};
};

describe("streams REST API", () => {
  it("keeps the seed service's queue routes and shapes", async () => {
    const {a, b, c} = await setup();
    const added = await call("/bedtime/queue", "POST", {files: ["songs/a.mp3", b]});
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({
      success: true,
      message: "Added 2 item(s) to stream 'bedtime'",
      queue: {name: "bedtime", files: [a, b], file_count: 2, loop: false},
    });
    expect((await call("/queues")).body).toEqual({queues: ["bedtime"], count: 1});
    expect((await call("/bedtime/queue")).body).toMatchObject({name: "bedtime", files: [a, b], file_count: 2});
    await call("/bedtime/queue", "POST", {files: [c]});
    const moved = await call("/bedtime/queue/reorder", "PUT", {old_index: 2, new_index: 0});
    expect(moved.body.queue.files).toEqual([c, a, b]);
    const removed = await call("/bedtime/queue/1", "DELETE");
    expect(removed.body.queue.files).toEqual([c, b]);
    const cleared = await call("/bedtime/queue", "DELETE");
    expect(cleared.body.queue).toMatchObject({files: [], file_count: 0});
    expect((await call("/bedtime", "DELETE")).body).toEqual({success: true, message: "Deleted stream 'bedtime'"});
    expect((await call("/bedtime")).status).toBe(404);
  });

  it("replaces, inserts, sets the mode and shows titles, duration and the signed URL", async () => {
    const {a, b, c} = await setup();
    await call("/morning", "PUT", {items: [a, c]});
    const inserted = await call("/morning/queue", "POST", {items: [b], index: 1});
    expect(inserted.body.stream.items.map((i: {id: string}) => i.id)).toEqual([a, b, c]);
    const mode = await call("/morning/mode", "PUT", {mode: "shuffle_loop"});
    expect(mode.body).toMatchObject({
      message: "Stream 'morning' now plays in mode 'shuffle_loop'",
      queue: {loop: true},
    });
    const view = (await call("/morning")).body;
    expect(view).toMatchObject({name: "morning", mode: "shuffle_loop", version: 3, activePreset: null});
    expect(view.items[0]).toMatchObject({id: a, title: "a", relPath: "songs/a.mp3"});
    expect(view.duration).toBeCloseTo(3, 0);
    expect(view.signedPath).toMatch(/^\/streams\/morning\.mp3\?sig=[\w-]{32}$/);
  });

  it("switches between presets, as rules and Home Assistant will", async () => {
    const {a, b, c} = await setup();
    await call("/radio", "PUT", {items: [a]});
    await call("/radio/presets/school-night", "PUT", {items: [b, c]});
    await call("/radio/presets/weekend", "PUT", {items: [c]});
    const used = await call("/radio/presets/school-night/activate", "POST");
    expect(used.body.stream).toMatchObject({
      activePreset: "school-night",
      presets: {"school-night": [b, c], weekend: [c]},
    });
    expect(used.body.queue.files).toEqual([b, c]);
    const edited = await call("/radio/queue", "POST", {items: [a]});
    expect(edited.body.stream.activePreset).toBeNull();
    const missing = await call("/radio/presets/holiday/activate", "POST");
    expect(missing).toEqual({
      status: 404,
      body: {error: "Stream 'radio' has no preset 'holiday' (it has: school-night, weekend)", code: "unknown_preset"},
    });
    await call("/radio/presets/weekend", "DELETE");
    expect((await call("/radio")).body.presets).toEqual({"school-night": [b, c]});
    for (const name of ["constructor", "__proto__", "toString"]) {
      expect((await call(`/radio/presets/${name}/activate`, "POST")).status, name).toBe(404);
      expect((await call(`/radio/presets/${name}`, "DELETE")).status, name).toBe(404);
    }
    expect((await call("/radio")).body.version).toBe(6);
    for (let i = 0; i < 49; i++) await call(`/radio/presets/p${i}`, "PUT", {items: [a]});
    expect(await call("/radio/presets/one-too-many", "PUT", {items: [a]})).toEqual({
      status: 400,
      body: {error: "A stream keeps at most 50 presets; delete one first", code: "too_many_presets"},
    });
  });

  it("rejects bad input with what was wrong, and changes nothing", async () => {
    const {a} = await setup();
    await call("/kids", "PUT", {items: [a]});
    const cases: Array<[string, string, unknown, number, unknown]> = [
      [
        "/Bad Name",
        "PUT",
        {items: []},
        400,
        {
          error:
            "'Bad Name' is not a valid stream name: use 1–64 lowercase letters, digits, '-' or '_', starting with a letter or digit",
          code: "bad_stream_name",
        },
      ],
      [
        "/kids/queue",
        "POST",
        {items: ["nope.mp3", "songs/d.ogg"]},
        400,
        {
          error:
            "'nope.mp3' is not in the library; 'songs/d.ogg' is not MP3; streams join MP3 files, so upload it with audio_normalize on",
          code: "bad_items",
        },
      ],
      [
        "/kids/queue/5",
        "DELETE",
        undefined,
        400,
        {error: "index 5 is out of range: the queue has 1 item(s)", code: "bad_index"},
      ],
      [
        "/kids/queue",
        "POST",
        {items: [a], index: 9},
        400,
        {error: "index 9 is out of range: the queue has 1 item(s)", code: "bad_index"},
      ],
      [
        "/kids/queue/reorder",
        "PUT",
        {old_index: 0},
        400,
        {error: "new_index must be a whole number", code: "bad_index"},
      ],
      [
        "/kids/mode",
        "PUT",
        {mode: "random"},
        400,
        {error: "mode must be one of: once, loop, shuffle, shuffle_loop", code: "bad_mode"},
      ],
      [
        "/kids",
        "PUT",
        {items: "a"},
        400,
        {error: "items must be a list of library item ids or paths", code: "bad_items"},
      ],
      ["/kids/queue", "POST", {items: []}, 400, {error: "items must name at least one item", code: "bad_items"}],
      ["/ghost/queue", "DELETE", undefined, 404, {error: "Stream 'ghost' does not exist", code: "unknown_stream"}],
      ["/kids", "PUT", [1, 2], 400, {error: "The request body must be a JSON object", code: "bad_body"}],
    ];
    for (const [p, method, body, status, expected] of cases) {
      expect(await call(p, method, body), `${method} ${p}`).toEqual({status, body: expected});
    }
    expect((await call("/kids")).body).toMatchObject({version: 1, items: [expect.objectContaining({id: a})]});
  });

  it("warns when a stream mixes sample rates or channel layouts", async () => {
    const {dirs, a} = await setup();
    await makeTone(path.join(dirs.mediaDir, "odd.mp3"), {seconds: 1, sampleRate: 22050, channels: 1, bitrate: "32k"});
    await t!.app.library.scan();
    expect((await call("/mixed", "PUT", {items: [a, "odd.mp3"]})).status).toBe(200);
    await fetch(`${t!.audioUrl}${t!.app.links.signed("/streams/mixed.mp3")}`).then((r) => r.arrayBuffer());
    expect(
      t!.logs.some((l) =>
        l.includes("Stream 'mixed' mixes 22050 Hz mono, 44100 Hz stereo audio; some players stumble"),
      ),
    ).toBe(true);
  });

  it("does not revive the request log of a deleted stream", async () => {
    const {a} = await setup();
    await call("/gone", "PUT", {items: [a]});
    await call("/gone", "DELETE");
    t!.app.streams.record({
      at: "",
      stream: "gone",
      client: "x",
      method: "GET",
      status: 200,
      version: 1,
      mode: "once",
      items: [],
    });
    await call("/gone", "PUT", {items: [a]});
    expect((await call("/gone/requests")).body).toEqual({requests: []});
  });

  it("serialises concurrent edits so none is lost, and keeps streams across restarts", async () => {
    const {dirs, a, b} = await setup();
    await call("/busy", "PUT", {items: []});
    await Promise.all(Array.from({length: 40}, (_, i) => call("/busy/queue", "POST", {items: [i % 2 ? a : b]})));
    const view = (await call("/busy")).body;
    expect(view.items).toHaveLength(40);
    expect(view.version).toBe(41);
    await t!.stop();
    t = await startApp([], dirs);
    expect((await call("/busy")).body).toMatchObject({version: 41});
    expect((await call("/busy")).body.items).toHaveLength(40);
  });
});
