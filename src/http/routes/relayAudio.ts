import type Router from "@koa/router";
import type {Clip} from "../../announce/clips.js";
import {sliceSegments} from "../../streams/slice.js";
import type {FileSender} from "../fileSender.js";
import {sendRanged} from "../sendRanged.js";
import {silence} from "./streamAudio.js";

const RELAY_PATH = /^([A-Za-z0-9_-]{1,64})\.mp3$/;

/**
 * `GET /relay/<player>.mp3`: the track of a player's relay card. It plays the announcement on now
 * for that player, and a moment of silence otherwise (a player shows an error for a 404).
 */
export function relayAudioRoutes(
  router: Router,
  relay: {clipFor(playerId: string): Clip | undefined},
  sender: FileSender,
): void {
  router.get("/relay/:file", (ctx) => {
    const playerId = RELAY_PATH.exec(ctx.params.file as string)?.[1];
    if (!playerId) return;
    const clip = relay.clipFor(playerId);
    ctx.set("Cache-Control", "no-store");
    if (!clip) return sendRanged(ctx, silence());
    sendRanged(ctx, {
      size: clip.size,
      etag: `"a-${clip.id}"`,
      contentType: "audio/mpeg",
      send: (out, start, end) => sender.send(out, sliceSegments(clip.segments, start, end)),
    });
  });
}
