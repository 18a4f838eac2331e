import type Router from "@koa/router";
import type {Cards} from "../../cards/cards.js";
import {badRequest} from "../../core/errors.js";
import type {Icons} from "../../icons/icons.js";
import {CONVERT_MAX_BYTES, ICON_MAX_BYTES} from "../../icons/png.js";
import type {Stories} from "../../stories/index.js";
import {readBytes, readJsonObject} from "../body.js";

export interface CardRouteDeps {
  cards: Cards;
  icons: Icons;
  stories: Stories;
}

type Body = Record<string, unknown>;

const CREATE_HINT =
  'Send {"from": "stream", "stream": "<name>"}, {"from": "items", "items": ["<id or path>", …]} or {"from": "story", "story": "<id>"}';

/** Cards made here and display icons: what the panel's Streams, Library and Stories views call. */
export function cardRoutes(router: Router, {cards, icons}: CardRouteDeps): void {
  router.get("/api/cards", (ctx) => {
    ctx.body = {cards: cards.list()};
  });
  router.post("/api/cards", async (ctx) => {
    const body = await readJsonObject(ctx);
    const content = await write(cards, body, optionalString(body, "cardId"));
    ctx.status = body.cardId ? 200 : 201;
    ctx.body = {card: cards.get(content.cardId), content};
  });
  // Make the card again from what it was made from (the stream, items or story as they are now).
  router.put("/api/cards/:id", async (ctx) => {
    const own = cards.get(ctx.params.id as string);
    const body = ctx.get("Content-Length") === "0" || !ctx.get("Content-Type") ? {} : await readJsonObject(ctx);
    const content = await write(cards, {...body, from: own.source.type, ...own.source}, own.cardId);
    ctx.body = {card: cards.get(own.cardId), content};
  });
  // Play a stream on a player through its card, making the card the first time.
  router.post("/api/streams/:name/play", async (ctx) => {
    const player = requiredString(await readJsonObject(ctx), "player", 'Send {"player": "<player id or name>"}');
    ctx.body = {card: await cards.playStream(player, ctx.params.name as string, {route: "api"})};
  });
  router.delete("/api/cards/:id", async (ctx) => {
    await cards.delete(ctx.params.id as string);
    ctx.status = 204;
  });
  router.post("/api/cards/:id/icon", async (ctx) => {
    const body = await readJsonObject(ctx);
    const chapter = requiredString(
      body,
      "chapter",
      'Send {"chapter": "01", "icon": "yoto:#<mediaId>"} (and "track" for one track)',
    );
    const icon = requiredString(body, "icon", 'Send {"chapter": "01", "icon": "yoto:#<mediaId>"}');
    ctx.body = {
      content: await cards.setIcon(ctx.params.id as string, {chapter, icon, track: optionalString(body, "track")}),
    };
  });

  router.get("/api/icons", async (ctx) => {
    const search = typeof ctx.query.search === "string" ? ctx.query.search : undefined;
    ctx.body = await icons.list({search, refresh: ctx.query.refresh === "1" || ctx.query.refresh === "true"});
  });
  // The image is the raw body (as Yoto's own upload takes it); ?convert=true resizes any PNG.
  router.post("/api/icons", async (ctx) => {
    const convert = ctx.query.convert === "true" || ctx.query.convert === "1";
    const bytes = await readBytes(ctx, convert ? CONVERT_MAX_BYTES : ICON_MAX_BYTES);
    const filename = typeof ctx.query.filename === "string" ? ctx.query.filename : undefined;
    const icon = await icons.upload(bytes, {convert, filename});
    ctx.status = icon.new ? 201 : 200;
    ctx.body = {icon};
  });
  router.post("/api/players/:id/icon", async (ctx) => {
    const body = await readJsonObject(ctx);
    const icon = requiredString(body, "icon", 'Send {"icon": "yoto:#<mediaId>", "seconds": 10}');
    const seconds = body.seconds === undefined ? undefined : Number(body.seconds);
    await icons.preview(ctx.params.id as string, icon, seconds);
    ctx.body = {ok: true};
  });
}

function write(cards: Cards, body: Body, cardId: string | undefined) {
  const opts = {cardId, title: optionalString(body, "title"), icon: optionalString(body, "icon")};
  switch (body.from) {
    // A feed stream's card is made from the stream too: a chapter per episode.
    case "stream":
    case "feed":
      return cards.fromStream(requiredString(body, "stream", CREATE_HINT), opts);
    case "items": {
      const items = body.items;
      if (!Array.isArray(items) || items.length === 0 || !items.every((i) => typeof i === "string"))
        throw badRequest(`'items' must be a non-empty list of library ids or paths. ${CREATE_HINT}`, "invalid_body");
      return cards.fromItems(items as string[], opts);
    }
    case "story": {
      const mode = body.mode;
      if (mode !== undefined && mode !== "interactive" && mode !== "linear" && mode !== "streamed")
        throw badRequest("'mode' must be interactive, linear or streamed", "invalid_body");
      return cards.fromStory(requiredString(body, "story", CREATE_HINT), {...opts, mode});
    }
    default:
      throw badRequest(CREATE_HINT, "invalid_body");
  }
}

export function requiredString(body: Body, key: string, hint: string): string {
  const value = body[key];
  if (typeof value !== "string" || value.length === 0) throw badRequest(`'${key}' is missing. ${hint}`, "invalid_body");
  return value;
}

export function optionalString(body: Body, key: string): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw badRequest(`'${key}' must be text`, "invalid_body");
  return value;
}
