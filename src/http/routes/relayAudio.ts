import type {ServerResponse} from "node:http";
import type Router from "@koa/router";
import type {Context} from "koa";
import type {Clip} from "../../announce/clips.js";
import type {LiveAudio} from "../../announce/liveAudio.js";
import type {Segment} from "../../files/segment.js";
import {fileOf} from "../../links/audioPaths.js";
import {sliceSegments} from "../../streams/slice.js";
import {drained, type FileSender} from "../fileSender.js";
import {sendRanged} from "../sendRanged.js";
import {silence} from "./streamAudio.js";

/**
 * `GET /relay/<player>.mp3`: the track of a player's relay card. It plays the announcement on now
 * for that player, and a moment of silence otherwise (a player shows an error for a 404). Speech
 * still being encoded is sent as it is made (no length, no ranges); once made it is an ordinary
 * file with ranges.
 */
export function relayAudioRoutes(
  router: Router,
  relay: {clipFor(playerId: string): Clip | undefined},
  sender: FileSender,
): void {
  router.get("/relay/:file", (ctx) => {
    const playerId = fileOf.relay(ctx.params.file as string);
    if (!playerId) return;
    const clip = relay.clipFor(playerId);
    ctx.set("Cache-Control", "no-store");
    if (!clip) return sendRanged(ctx, silence());
    ctx.res.once("close", () => clip.served?.());
    if (clip.live) return sendGrowing(ctx, clip.segments, clip.live, sender);
    if (clip.feed) return sendFed(ctx, clip.feed, sender);
    sendRanged(ctx, {
      size: clip.size,
      etag: `"a-${clip.id}"`,
      contentType: "audio/mpeg",
      send: (out, start, end) => sender.send(out, sliceSegments(clip.segments, start, end)),
    });
  });
}

/** The clip's finished part (the chime), then its speech chunk by chunk as the encoder makes it. */
function sendGrowing(ctx: Context, before: Segment[], live: LiveAudio, sender: FileSender): void {
  sendUnranged(ctx, async (res) => {
    await sender.send(res, before);
    for await (const chunk of live.follow()) {
      if (res.destroyed) return;
      // A listener that left ends the wait (and this answer) with a rejection; no listener is left behind.
      if (!res.write(chunk)) await drained(res);
    }
  });
}

/** Audio its maker sends as it decides it (a renderer's queue): no length, no ranges, ended by the maker. */
function sendFed(ctx: Context, feed: NonNullable<Clip["feed"]>, sender: FileSender): void {
  sendUnranged(ctx, (res) => {
    const gone = new AbortController();
    res.once("close", () => gone.abort());
    return feed((segments) => sender.send(res, segments), gone.signal);
  });
}

/** An MP3 answer with no length and no ranges, written by `write` (a HEAD gets the headers only). */
function sendUnranged(ctx: Context, write: (res: ServerResponse) => Promise<void>): void {
  ctx.set("Accept-Ranges", "none");
  ctx.type = "audio/mpeg";
  ctx.status = 200;
  if (ctx.method === "HEAD") return;
  ctx.respond = false;
  const res = ctx.res;
  res.writeHead(200, ctx.response.headers as Record<string, string>);
  write(res).then(
    () => res.end(),
    () => res.destroy(),
  );
}
