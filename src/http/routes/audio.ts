import type Router from "@koa/router";
import type {Library} from "../../library/library.js";
import type {FileResources} from "../fileResource.js";
import {sendRanged} from "../sendRanged.js";

const AUDIO_PATH = /^([0-9a-f]{16})(\.[a-z0-9]{1,5})?$/;

/** Public per-file audio. The signature was checked before routing; here only the id matters. */
export function audioRoutes(router: Router, library: Library, files: FileResources): void {
  router.get("/audio/:file", async (ctx) => {
    const match = AUDIO_PATH.exec(ctx.params.file as string);
    if (!match) return;
    sendRanged(ctx, await files.resource(library.resolve(match[1] as string)));
  });
}
