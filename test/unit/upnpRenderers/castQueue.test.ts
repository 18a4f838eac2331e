import {describe, expect, it} from "vitest";
import type {Clip} from "../../../src/announce/clips.js";
import {Logger} from "../../../src/core/logger.js";
import type {Segment} from "../../../src/files/segment.js";
import {type CastItem, CastQueue, type PlayMode} from "../../../src/upnpRenderers/castQueue.js";

/** A track of `seconds` at the clips' 16,000 bytes a second, every byte `mark` (so the answer shows which played). */
function clipOf(mark: number, seconds: number): Clip {
  const data = Buffer.alloc(Math.round(seconds * 16_000), mark);
  return {
    id: `clip-${mark}`,
    segments: [{file: "", start: 0, end: data.length - 1, memory: {data, offset: 0}}],
    size: data.length,
    seconds,
    describe: `track ${mark}`,
    files: [],
    finished: Promise.resolve(),
  };
}

const item = (mark: number): CastItem => ({
  uri: `http://127.0.0.1/${mark}.mp3`,
  metadata: "",
  title: `Track ${mark}`,
  source: {media: `http://127.0.0.1/${mark}.mp3`, format: {kind: "mp3"}},
});

/**
 * A queue whose relay answer is read straight away (as a player reads it), its bytes kept in
 * order: which tracks played, and in what order, is what the answer held.
 */
function queueOf(o: {mode?: PlayMode; mayGoOn?: () => boolean; seconds?: number}) {
  const bytes: number[] = [];
  const discarded: string[] = [];
  const answers: Array<Promise<void>> = [];
  const queue = new CastQueue({
    prepare: async ({source}) =>
      clipOf(Number(/(\d+)\.mp3/.exec("media" in source ? source.media : "")?.[1]), o.seconds ?? 0.1),
    discard: async (clip) => {
      discarded.push(clip.id);
    },
    play: async (clip) => {
      const send = async (segments: Segment[]) => {
        for (const s of segments) bytes.push(...(s.memory?.data.subarray(s.start, s.end + 1) ?? []));
      };
      answers.push((clip.feed as NonNullable<Clip["feed"]>)(send, new AbortController().signal));
    },
    mode: () => o.mode ?? "NORMAL",
    mayGoOn: o.mayGoOn ?? (() => true),
    changed: () => undefined,
    ended: () => undefined,
    announcedOver: () => undefined,
    abandoned: () => undefined,
    log: new Logger({level: "error", sink: () => undefined}),
  });
  /** The marks of the tracks the answer held, one per track played. */
  const played = () => bytes.filter((b, i) => i === 0 || bytes[i - 1] !== b);
  return {queue, answers, played, discarded};
}

describe("a renderer's cast queue", () => {
  it("sends the next track straight after the first, in one answer", async () => {
    const q = queueOf({});
    await q.queue.start(item(1), new AbortController().signal);
    q.queue.setNext(item(2));
    await q.answers[0];
    expect(q.played()).toEqual([1, 2]);
  });

  it("lets nothing follow while the parents' rules say the player may not go on", async () => {
    let quiet = false;
    const q = queueOf({mayGoOn: () => !quiet});
    await q.queue.start(item(1), new AbortController().signal);
    quiet = true;
    q.queue.setNext(item(2));
    await q.answers[0];
    expect(q.played()).toEqual([1]);
  });

  it("removes every track's audio when the cast is over", async () => {
    const q = queueOf({});
    await q.queue.start(item(1), new AbortController().signal);
    q.queue.setNext(item(2));
    await q.answers[0];
    q.queue.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(q.discarded.sort()).toEqual(["clip-1", "clip-2"]);
  });
});
