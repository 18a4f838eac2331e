import type Router from "@koa/router";
import {badRequest} from "../../core/errors.js";
import type {ChildShelf, ShelfAnswer, ShelfChoice} from "../../shared/api/shelf.js";
import {readJsonObject} from "../body.js";
import {openRoute} from "../routeAccess.js";

export interface ShelfRouteDeps {
  shelves: {
    view(child: string): Promise<ChildShelf>;
    play(child: string, id: string, via: "page"): Promise<ShelfAnswer>;
    control(child: string, action: string, volume?: number): Promise<ShelfAnswer>;
    ask(child: string): Promise<ShelfAnswer>;
    sleep(child: string): Promise<ShelfAnswer>;
    choices(query: string, limit: number): Promise<{choices: ShelfChoice[]; total: number}>;
    /** A drawing, by its file name (`owl-210.svg`), or undefined. */
    cover(file: string): Promise<string | undefined>;
  };
}

const CONTROLS = ["pause", "resume", "next", "volume"];
const MAX_QUERY = 200;

/** What the page's answer is, as a status: a tap refused for the rules is an answer (200), not an error. */
function answered(body: ShelfAnswer): {status: number; body: ShelfAnswer} {
  return {status: body.outcome === "busy" ? 429 : 200, body};
}

/**
 * The child's corner (docs/child.md): a child's shelf as the child's page reads it, a tap, the
 * controls, "one more story"; the choices a parent puts on a shelf; the drawings.
 */
export function shelfRoutes(router: Router, deps: ShelfRouteDeps): void {
  openRoute(router, "child", "GET", "/api/children/:child/shelf", async (ctx) => {
    ctx.set("Cache-Control", "no-store");
    ctx.body = await deps.shelves.view(ctx.params.child as string);
  });

  openRoute(router, "child", "POST", "/api/children/:child/shelf/play", async (ctx) => {
    const body = await readJsonObject(ctx, 'Send {"id": "<a shelf item\'s id>"}', "bad_shelf_play");
    if (typeof body.id !== "string" || body.id === "" || body.id.length > 300)
      throw badRequest(
        `'id' must be a shelf item's id, as GET …/shelf lists them (got ${JSON.stringify(body.id ?? null)})`,
        "bad_shelf_play",
      );
    const {status, body: answer} = answered(await deps.shelves.play(ctx.params.child as string, body.id, "page"));
    ctx.status = status;
    ctx.body = answer;
  });

  openRoute(router, "child", "POST", "/api/children/:child/shelf/control", async (ctx) => {
    const body = await readJsonObject(
      ctx,
      'Send {"action": "pause"} (or resume, next, or volume with "volume": 0-16)',
      "bad_control",
    );
    const action = body.action;
    if (typeof action !== "string" || !CONTROLS.includes(action))
      throw badRequest(
        `'action' must be one of ${CONTROLS.join(", ")} (got ${JSON.stringify(action ?? null)})`,
        "bad_control",
      );
    if (
      action === "volume" &&
      (typeof body.volume !== "number" || !Number.isInteger(body.volume) || body.volume < 0 || body.volume > 16)
    )
      throw badRequest(
        `'volume' must be a whole number of steps from 0 to 16 (got ${JSON.stringify(body.volume ?? null)})`,
        "bad_control",
      );
    const {status, body: answer} = answered(
      await deps.shelves.control(ctx.params.child as string, action, body.volume as number | undefined),
    );
    ctx.status = status;
    ctx.body = answer;
  });

  openRoute(router, "child", "POST", "/api/children/:child/shelf/ask", async (ctx) => {
    ctx.body = await deps.shelves.ask(ctx.params.child as string);
  });

  // The moon at night: the child's sleep sound, as the plan allows it (a device link's own child only).
  openRoute(router, "child", "POST", "/api/children/:child/shelf/sleep", async (ctx) => {
    const {status, body} = answered(await deps.shelves.sleep(ctx.params.child as string));
    ctx.status = status;
    ctx.body = body;
  });

  router.get("/api/shelf/choices", async (ctx) => {
    const q = ctx.query.q ?? "";
    if (typeof q !== "string" || q.length > MAX_QUERY)
      throw badRequest(`'q' must be one search of at most ${MAX_QUERY} characters`, "bad_query");
    const raw = ctx.query.limit ?? "50";
    const limit = typeof raw === "string" && /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(limit >= 1 && limit <= 200))
      throw badRequest(`'limit' must be a whole number from 1 to 200 (got ${JSON.stringify(raw)})`, "bad_query");
    ctx.body = await deps.shelves.choices(q, limit);
  });

  openRoute(router, "public", "GET", "/api/shelf/covers/:file", async (ctx) => {
    const svg = await deps.shelves.cover(ctx.params.file as string);
    if (!svg) {
      ctx.status = 404;
      ctx.body = {error: `No picture '${ctx.params.file}'`, code: "no_cover"};
      return;
    }
    ctx.type = "image/svg+xml";
    ctx.set("Cache-Control", "public, max-age=31536000, immutable");
    ctx.set("X-Content-Type-Options", "nosniff");
    ctx.body = svg;
  });
}
