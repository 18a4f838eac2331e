import {afterEach, describe, expect, it} from "vitest";
import {type ArchiveStack, addFamilyCard, archiveNow, archiveStack} from "../../helpers/familyArchive.js";
import {type GatedFfmpeg, gatedFfmpeg} from "../../helpers/gatedFfmpeg.js";
import {call} from "../../helpers/http.js";
import {untilAdded} from "../../helpers/streamAdding.js";

let stack: ArchiveStack | undefined;
let ffmpeg: GatedFfmpeg | undefined;
afterEach(async () => {
  ffmpeg?.release();
  await stack?.stop();
  await ffmpeg?.close();
  stack = undefined;
  ffmpeg = undefined;
});

const TRACKS = [{title: "The Owl"}, {title: "The Fox"}, {title: "The Moon"}, {title: "The Bear"}];

/**
 * The archive on a gated ffmpeg, with the card "Grandma's stories" archived. The app's other queue
 * changes wait a minute for their first track: an answer that came sooner did not wait for one.
 */
async function grandmasStories(gate: GatedFfmpeg): Promise<ArchiveStack> {
  const archive = await archiveStack([], {app: {ffmpegPath: gate.path, streams: {firstWaitMs: 60_000}}});
  await addFamilyCard(archive.sim, "gran1", "Grandma's stories", TRACKS);
  expect((await archiveNow(archive.api)).run).toMatchObject({state: "done", problems: []});
  return archive;
}

describe("an archived card played as a stream", () => {
  it("answers at once, before any track is made; they come in order, two at a time; made again, all are in at once", async () => {
    ffmpeg = await gatedFfmpeg(["The Owl"]);
    stack = await grandmasStories(ffmpeg);
    const {t, api} = stack;

    // The owl's pass is free to go, yet the answer does not wait for it.
    const answer = await call("POST", `${api}/archive/gran1/stream`, {});
    expect(answer.status, answer.body.error).toBe(200);
    expect(answer.body).toMatchObject({stream: "grandmas-stories", items: 4, ready: 0});
    const titles = () => t.app.streams.get("grandmas-stories").items.map((id) => t.app.library.get(id)?.title);
    // Two ffmpeg passes at once: the fox and the moon wait, the bear is not begun.
    await ffmpeg.held(2);
    expect([...ffmpeg.asked].sort()).toEqual(["The Fox", "The Moon", "The Owl"]);
    const done = untilAdded(t.app, "grandmas-stories");
    ffmpeg.release();
    expect(await done).toMatchObject({under_way: false, done: 4, total: 4, failed_count: 0});
    expect(titles()).toEqual(["The Owl", "The Fox", "The Moon", "The Bear"]);

    // Made playable again: the card's own stream, every track in at the answer.
    const again = await call("POST", `${api}/archive/gran1/stream`, {});
    expect(again.body).toMatchObject({stream: "grandmas-stories", items: 4, ready: 4});
    expect(titles()).toEqual(["The Owl", "The Fox", "The Moon", "The Bear"]);
    expect(t.app.streams.adding("grandmas-stories")).toBeNull();
  }, 60_000);

  it("keeps a player that asks at once waiting for the first track, rather than playing it silence", async () => {
    ffmpeg = await gatedFfmpeg();
    stack = await grandmasStories(ffmpeg);
    const {t, api} = stack;
    const answer = await call("POST", `${api}/archive/gran1/stream`, {});
    expect(answer.body).toMatchObject({stream: "grandmas-stories", items: 4, ready: 0});

    // A speaker told to play the stream asks for it while no track is made yet.
    const heard = fetch(answer.body.url).then(async (res) => ({
      status: res.status,
      type: res.headers.get("content-type"),
      bytes: (await res.arrayBuffer()).byteLength > 0,
    }));
    ffmpeg.release("The Owl");
    const got = await heard;
    expect(got).toEqual({status: 200, type: "audio/mpeg", bytes: true});
    const owl = t.app.library.items().find((i) => i.title === "The Owl");
    // It heard the owl, the one track made by then (the fox and the moon are held, the bear waits).
    expect(t.app.streams.requests("grandmas-stories").map((r) => r.items)).toEqual([[owl?.id]]);

    const done = untilAdded(t.app, "grandmas-stories");
    ffmpeg.release();
    expect(await done).toMatchObject({under_way: false, done: 4, total: 4, failed_count: 0});
  }, 60_000);
});
