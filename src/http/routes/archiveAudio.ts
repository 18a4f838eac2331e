import type Router from "@koa/router";
import type {Archive} from "../../archive/archive.js";
import {trackAt} from "../../archive/audioPaths.js";
import {contentTypeOf} from "../../archive/cardRecord.js";
import {archivedCoverOf, archivedTrackOf} from "../../links/audioPaths.js";
import type {FileResources} from "../fileResource.js";
import {sendRanged} from "../sendRanged.js";

export type ArchiveAudio = Pick<Archive, "has" | "card" | "file" | "coverThumbnail">;

/**
 * An archived card's tracks and cover on the audio listener (signed, like everything there), so a
 * media browser's speaker plays the family's cards from home, without Yoto: the archived file as it
 * is, with ranges. Anything not archived is the same 404 as an unsigned URL.
 */
export function archiveAudioRoutes(router: Router, archive: ArchiveAudio, files: FileResources): void {
  router.get("/archive/:card/:chapter/:file", async (ctx) => {
    const at = archivedTrackOf(ctx.path);
    if (!at || !archive.has(at.cardId)) return;
    const found = trackAt(archive.card(at.cardId), at);
    if (!found?.track.sha) return;
    const {path, file} = archive.file(found.track.sha);
    sendRanged(ctx, await files.resourceAt(path, contentTypeOf(file)));
  });

  router.get("/archive/:card/:file", async (ctx) => {
    const cardId = archivedCoverOf(ctx.path);
    if (!cardId || !archive.has(cardId)) return;
    const thumbnail = await archive.coverThumbnail(cardId);
    if (!thumbnail) return;
    sendRanged(ctx, await files.resourceAt(thumbnail, "image/jpeg"));
  });
}
