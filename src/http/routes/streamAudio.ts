import type {OutgoingHttpHeaders, ServerResponse} from "node:http";
import type Router from "@koa/router";
import type {Context} from "koa";
import type {Segment} from "../../files/segment.js";
import {fileOf} from "../../links/audioPaths.js";
import type {Radio} from "../../radio/radio.js";
import type {NextItem} from "../../streams/programme.js";
import {silentMp3} from "../../streams/silence.js";
import {sliceSegments} from "../../streams/slice.js";
import type {Snapshot} from "../../streams/snapshots.js";
import type {Streams} from "../../streams/streams.js";
import type {StreamRequest} from "../../streams/types.js";
import type {FileSender} from "../fileSender.js";
import {listenerGone} from "../listenerLeaving.js";
import {ENDLESS_STREAM_PACE, PacedWriter} from "../pacedWriter.js";
import {type RangedResource, sendRanged} from "../sendRanged.js";

const SILENCE = silentMp3(2);

/**
 * `GET /streams/<name>.mp3`: the queue as one MP3, fixed at request time. Finite modes have a
 * length, so ranges work across file boundaries; looping modes play until the client leaves.
 */
export function streamAudioRoutes(router: Router, streams: Streams, sender: FileSender, radio?: Radio): void {
  router.get("/streams/:file", async (ctx) => {
    const name = fileOf.stream(ctx.params.file as string);
    if (!name) return;
    if (!streams.has(name)) {
      // The link was signed by us, so a card still points here: worth a line on the Health page.
      streams.missed({
        at: new Date().toISOString(),
        stream: name,
        client: (ctx.state.client as string | undefined) ?? ctx.ip,
      });
      return;
    }
    const stream = streams.get(name);
    if (stream.radio && radio) {
      sendStation(ctx, radio, name);
      streams.record({
        at: new Date().toISOString(),
        stream: name,
        client: (ctx.state.client as string | undefined) ?? ctx.ip,
        userAgent: ctx.get("User-Agent") || undefined,
        method: ctx.method,
        status: 200,
        version: stream.version,
        mode: stream.mode,
        items: [],
      });
      return;
    }
    // A queue whose first track is still on its way is waited for, unless the listener leaves first.
    const snap = await streams.snapshot(name, listenerGone(ctx.res));
    sendSnapshot(
      ctx,
      snap,
      sender,
      () => streams.forget(name),
      snap.looping ? streams.programmes.begin(name) : undefined,
    );
    streams.record(
      servedRequest(name, snap, {
        client: (ctx.state.client as string | undefined) ?? ctx.ip,
        userAgent: ctx.get("User-Agent"),
        method: ctx.method,
        range: ctx.get("Range"),
        status: ctx.status,
        bytes: snap.looping && snap.segments.length > 0 ? undefined : Number(ctx.response.get("Content-Length") || 0),
      }),
    );
  });
}

/** How a request for a stream was answered, as its request log keeps it (this route's and the fast path's). */
export function servedRequest(
  name: string,
  snap: Snapshot,
  answer: {client: string; userAgent: string; method: string; range: string; status: number; bytes?: number},
): StreamRequest {
  return {
    at: new Date().toISOString(),
    stream: name,
    client: answer.client,
    userAgent: answer.userAgent || undefined,
    method: answer.method,
    range: answer.range || undefined,
    status: answer.status,
    version: snap.stream.version,
    mode: snap.stream.mode,
    items: snap.itemIds,
    bytes: answer.bytes,
  };
}

/**
 * A station stream: no length and no ranges, the station's audio as it comes (or silence while it
 * reconnects) until the player leaves. HEAD answers the headers only, without waking the station.
 */
function sendStation(ctx: Context, radio: Radio, name: string): void {
  ctx.status = 200;
  ctx.type = "audio/mpeg";
  ctx.set("Accept-Ranges", "none");
  ctx.set("Cache-Control", "no-store");
  if (ctx.method === "HEAD") return;
  ctx.respond = false;
  ctx.res.writeHead(200, ctx.response.headers as OutgoingHttpHeaders);
  radio.listen(name, ctx.res);
}

/** A snapshot as audio: silence when empty, endless when looping, ranged when finite. */
export function sendSnapshot(
  ctx: Context,
  snap: Snapshot,
  sender: FileSender,
  onFailure: () => void,
  next?: NextItem,
): void {
  if (snap.segments.length === 0) sendRanged(ctx, silence());
  else if (snap.looping) sendLoop(ctx, snap, sender, next);
  else sendRanged(ctx, finiteSnapshot(snap, sender, onFailure));
}

/** A finite, non-empty snapshot's bytes as a ranged resource; `onFailure` when a file, not the client, failed. */
export function finiteSnapshot(snap: Snapshot, sender: FileSender, onFailure: () => void): RangedResource {
  return {
    size: snap.size,
    etag: snap.etag,
    contentType: "audio/mpeg",
    send: (out, start, end) =>
      sender.send(out, sliceSegments(snap.segments, start, end)).catch((err: unknown) => {
        if (!out.destroyed) onFailure(); // a file failed us, not the client: rebuild next time
        throw err;
      }),
  };
}

/** A player shows an error for a missing stream but plays silence happily: an empty queue is silence. */
export function silence(): RangedResource {
  return {
    size: SILENCE.length,
    etag: '"s-silence"',
    contentType: "audio/mpeg",
    send: (out, start, end) =>
      new Promise<void>((resolve, reject) =>
        out.write(SILENCE.subarray(start, end + 1), (err) => (err ? reject(err) : resolve())),
      ),
  };
}

/**
 * No length and no ranges: passes follow each other until the client disconnects, paced to a few
 * times real time after a first burst (finite streams are not: their size bounds them).
 */
function sendLoop(ctx: Context, snap: Snapshot, sender: FileSender, next?: NextItem): void {
  ctx.status = 200;
  ctx.type = "audio/mpeg";
  ctx.set("Accept-Ranges", "none");
  ctx.set("Cache-Control", "no-store");
  if (ctx.method === "HEAD") return;
  const res: ServerResponse = ctx.res;
  ctx.respond = false;
  res.writeHead(200, ctx.response.headers as OutgoingHttpHeaders);
  const paced = new PacedWriter(res, {...ENDLESS_STREAM_PACE, bytesPerSecond: snap.bytesPerSecond});
  sender.send(paced, next ? programme(snap, next, Date.now()) : passes(snap)).then(
    // A programme that ends (bedtime) ends once its last paced bytes are out, not before.
    () => paced.end(() => res.end()),
    () => res.destroy(),
  );
}

function* passes(snap: Snapshot): Generator<Segment> {
  for (let cycle = 0; ; cycle++) {
    const segments = cycle === 0 ? snap.segments : snap.cycle(cycle);
    if (segments.length === 0) return;
    yield* segments;
  }
}

/**
 * Passes as the stream's owner decides them, item by item: each item is asked for at the time the
 * listener will hear it start (the request's start plus the audio before it), so "nothing after
 * bedtime" holds for the listener however far ahead the bytes are sent. Ends when the owner says
 * so, or when a whole pass played nothing (everything skipped).
 */
export function* programme(snap: Snapshot, next: NextItem, startedAt: number): Generator<Segment> {
  let heard = 0;
  for (const segment of decided(snap, next, startedAt)) {
    heard += segment.seconds;
    yield segment.segment;
  }
  // Nothing at all to play (asked at bedtime): a moment of silence, not an empty answer a player shows as an error.
  if (heard === 0) yield SILENT_SEGMENT;
}

function* decided(snap: Snapshot, next: NextItem, startedAt: number): Generator<{segment: Segment; seconds: number}> {
  let heard = 0;
  for (let cycle = 0; ; cycle++) {
    const segments = cycle === 0 ? snap.segments : snap.cycle(cycle);
    let played = false;
    for (const [i, segment] of segments.entries()) {
      const seconds = (segment.end - segment.start + 1) / snap.bytesPerSecond;
      const decision = next(snap.itemIds[i] ?? "", seconds, startedAt + heard * 1000);
      if (decision === "end") return;
      if (decision === "skip") continue;
      played = true;
      heard += seconds;
      yield {segment, seconds};
    }
    if (!played) return;
  }
}

const SILENT_SEGMENT: Segment = {
  file: "silence",
  start: 0,
  end: SILENCE.length - 1,
  memory: {data: SILENCE, offset: 0},
};
