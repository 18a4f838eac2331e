import type Router from "@koa/router";
import type {Library} from "../../library/library.js";
import {fileOf} from "../../links/audioPaths.js";
import type {FileResources} from "../fileResource.js";
import {sendRanged} from "../sendRanged.js";

/** Public per-file audio. The signature was checked before routing; here only the id matters. */
export function audioRoutes(router: Router, library: Library, files: FileResources): void {
  router.get("/audio/:file", async (ctx) => {
    const id = fileOf.item(ctx.params.file as string);
    if (!id) return;
    sendRanged(ctx, await files.resource(library.resolve(id)));
  });
}
