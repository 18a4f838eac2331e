import type Router from "@koa/router";
import type {Context} from "koa";
import {badRequest} from "../../core/errors.js";
import type {Feeds} from "../../feeds/feeds.js";
import type {Library} from "../../library/library.js";
import {streamPath} from "../../links/audioPaths.js";
import type {PublicLinks} from "../../links/publicLinks.js";
import type {Radio} from "../../radio/radio.js";
import type {SeedQueue, StreamChange, StreamItemView, StreamView} from "../../shared/api/streams.js";
import type {StreamState} from "../../streams/model.js";
import type {Streams} from "../../streams/streams.js";
import {readJsonObject} from "../body.js";

export interface StreamRouteDeps {
  streams: Streams;
  feeds: Pick<Feeds, "has" | "follow" | "view" | "refresh" | "unfollow" | "episodes" | "hide" | "unhide">;
  library: Library;
  links: PublicLinks;
  radio: Pick<Radio, "setStation" | "view">;
}

/**
 * Stream queues for the panel, Home Assistant and scripts. The seed service's routes
 * (`/queue`, `/queue/<index>`, `/queue/reorder`, `/queues`) are kept with their shapes, and every
 * change answers `{success, message, queue, stream}` so clients of either style are served.
 */
export function streamRoutes(router: Router, deps: StreamRouteDeps): void {
  const {streams} = deps;
  const view = (s: StreamState) => streamView(s, deps);
  const changed = (ctx: Context, s: StreamState, message: string) => {
    ctx.body = {success: true, message, queue: seedQueue(s), stream: view(s)} satisfies StreamChange;
  };
  const name = (ctx: Context) => ctx.params.name as string;

  router.get("/api/streams", (ctx) => {
    const list = streams.list();
    ctx.body = {streams: list.map(view), count: list.length};
  });
  router.get("/api/streams/queues", (ctx) => {
    const names = streams.list().map((s) => s.name);
    ctx.body = {queues: names, count: names.length};
  });
  router.get("/api/streams/:name", (ctx) => {
    ctx.body = view(streams.get(name(ctx)));
  });
  router.put("/api/streams/:name", async (ctx) => {
    const body = await readJsonObject(ctx, "The request body must be a JSON object", "bad_body");
    if (Object.hasOwn(body, "radio")) {
      await putRadio(ctx, name(ctx), body, deps);
      changed(ctx, streams.get(name(ctx)), radioMessage(name(ctx), body.radio));
      return;
    }
    if (Object.hasOwn(body, "feed")) {
      if (Object.hasOwn(body, "items"))
        throw badRequest("Give either items or a feed: a feed stream's items are its episodes", "bad_body");
      // A stream another owns whole (a child's story radio) follows no feed: its owner says so first.
      streams.judgeWrite(name(ctx), {kind: "feed"});
      await deps.feeds.follow(name(ctx), body.feed);
      if (body.mode !== undefined) await streams.setMode(name(ctx), body.mode);
      ctx.status = 202;
      changed(ctx, streams.get(name(ctx)), `Stream '${name(ctx)}' follows the feed; its episodes are on their way`);
      return;
    }
    // Streams asks the stream's owner (a feed refuses a queue its next refresh would replace).
    const s = await streams.replace(name(ctx), refs(body, "items", true), body.mode as never);
    changed(ctx, s, `Replaced the queue of '${s.name}' (${s.items.length} item(s)${onTheWay(streams, s.name)})`);
  });
  router.delete("/api/streams/:name", async (ctx) => {
    await streams.delete(name(ctx));
    ctx.body = {success: true, message: `Deleted stream '${name(ctx)}'`};
  });
  router.get("/api/streams/:name/queue", (ctx) => {
    ctx.body = {...seedQueue(streams.get(name(ctx))), stream: view(streams.get(name(ctx)))};
  });
  router.post("/api/streams/:name/queue", async (ctx) => {
    const body = await readJsonObject(ctx, "The request body must be a JSON object", "bad_body");
    // Whether this stream takes items at all (a station has no queue) comes before what they are.
    streams.judge(name(ctx), {kind: "add", index: undefined});
    const added = refs(body, body.files !== undefined ? "files" : "items", false);
    const index = body.index === undefined ? undefined : integer(body.index, "index");
    // A feed's stream takes them in front of its episodes (Streams asks the feed), where a refresh keeps them.
    const feed = deps.feeds.has(name(ctx));
    const s = await streams.add(name(ctx), added, index);
    changed(
      ctx,
      s,
      `Added ${added.length} item(s) to stream '${s.name}'${feed ? ", in front of its episodes" : ""}${onTheWay(streams, s.name)}`,
    );
  });
  router.delete("/api/streams/:name/queue", async (ctx) => {
    // The router also answers `…/queue/` here: a client that meant `…/queue/${index}` with an
    // empty index must not wipe the whole queue.
    if (ctx.path.endsWith("/")) pathIndex("");
    changed(ctx, await streams.clear(name(ctx)), `Cleared stream '${name(ctx)}'`);
  });
  router.delete("/api/streams/:name/queue/:index", async (ctx) => {
    const index = pathIndex(ctx.params.index as string);
    // A feed's episode comes back at the next refresh unless it is hidden: taking its row out hides it.
    const id = deps.feeds.has(name(ctx)) ? streams.get(name(ctx)).items[index] : undefined;
    const episode = id === undefined ? undefined : await deps.feeds.hide(name(ctx), id);
    if (episode) {
      changed(
        ctx,
        streams.get(name(ctx)),
        `Hid episode '${episode.title}' of stream '${name(ctx)}': refreshes leave it out and the next newest takes its place (DELETE /api/streams/${name(ctx)}/feed/hidden/<key> brings it back)`,
      );
      return;
    }
    changed(ctx, await streams.removeAt(name(ctx), index), `Removed item ${index} from stream '${name(ctx)}'`);
  });
  router.put("/api/streams/:name/queue/reorder", async (ctx) => {
    const body = await readJsonObject(ctx, "The request body must be a JSON object", "bad_body");
    const from = integer(body.old_index ?? body.from, "old_index");
    const to = integer(body.new_index ?? body.to, "new_index");
    changed(ctx, await streams.move(name(ctx), from, to), `Moved item ${from} to ${to} in stream '${name(ctx)}'`);
  });
  router.put("/api/streams/:name/mode", async (ctx) => {
    const body = await readJsonObject(ctx, "The request body must be a JSON object", "bad_body");
    const s = await streams.setMode(name(ctx), body.mode);
    changed(ctx, s, `Stream '${s.name}' now plays in mode '${s.mode}'`);
  });
  router.post("/api/streams/:name/shuffle", async (ctx) => {
    changed(ctx, await streams.shuffleOnce(name(ctx)), `Shuffled stream '${name(ctx)}'`);
  });
  router.put("/api/streams/:name/presets/:preset", async (ctx) => {
    const body = await readJsonObject(ctx, "The request body must be a JSON object", "bad_body");
    const preset = ctx.params.preset as string;
    const s = await streams.definePreset(name(ctx), preset, refs(body, "items", true));
    changed(ctx, s, `Saved preset '${preset}' of stream '${s.name}'`);
  });
  router.delete("/api/streams/:name/presets/:preset", async (ctx) => {
    const preset = ctx.params.preset as string;
    changed(ctx, await streams.deletePreset(name(ctx), preset), `Deleted preset '${preset}'`);
  });
  router.post("/api/streams/:name/presets/:preset/activate", async (ctx) => {
    const preset = ctx.params.preset as string;
    changed(ctx, await streams.usePreset(name(ctx), preset), `Stream '${name(ctx)}' now plays preset '${preset}'`);
  });
  router.get("/api/streams/:name/requests", (ctx) => {
    ctx.body = {requests: streams.requests(name(ctx))};
  });
}

function streamView(s: StreamState, deps: StreamRouteDeps): StreamView {
  const pathname = streamPath(s.name);
  const items = s.items.map((id): StreamItemView => {
    const item = deps.library.get(id);
    return item
      ? {id, title: item.title, relPath: item.relPath, duration: item.duration}
      : {id, title: null, relPath: null, duration: 0, missing: true};
  });
  return {
    ...s,
    items,
    duration: Math.round(items.reduce((sum, i) => sum + i.duration, 0) * 10) / 10,
    url: deps.links.absolute(pathname),
    signedPath: deps.links.signed(pathname),
    feed: deps.feeds.has(s.name) ? deps.feeds.view(s.name) : null,
    radio: s.radio ? deps.radio.view(s.name) : null,
    adding: deps.streams.adding(s.name),
  };
}

/** "; 496 more on their way" while tracks of a media server folder are still being fetched. */
function onTheWay(streams: Streams, name: string): string {
  const adding = streams.adding(name);
  return adding?.under_way ? `; ${adding.total - adding.done} more on their way` : "";
}

/** `{"radio": {"url": …}}` makes the stream a station (checked first); `{"radio": null}` a queue again. */
async function putRadio(ctx: Context, stream: string, body: Record<string, unknown>, deps: StreamRouteDeps) {
  const others = Object.keys(body).filter((k) => k !== "radio");
  if (others.length > 0)
    throw badRequest(
      `Give radio alone: a station stream has no ${others.map((k) => `'${k}'`).join(" or ")} (got ${others.join(", ")})`,
      "bad_body",
    );
  // Before the body is read further: a stream whose owner (a feed) refuses a station says so first.
  deps.streams.judge(stream, {kind: "radio"});
  const radio = body.radio;
  if (radio === null) {
    if (deps.streams.has(stream)) await deps.streams.setRadio(stream, null);
    return;
  }
  if (typeof radio !== "object" || Array.isArray(radio))
    throw badRequest(`radio must be {"url": "<the station's address>"} or null`, "bad_radio");
  const unknown = Object.keys(radio).filter((k) => k !== "url");
  if (unknown.length > 0) throw badRequest(`Unknown field '${unknown[0]}' in radio (it takes 'url')`, "bad_radio");
  await deps.radio.setStation(stream, (radio as {url?: unknown}).url as string);
  ctx.status = 200;
}

function radioMessage(stream: string, radio: unknown): string {
  return radio === null ? `Stream '${stream}' is a queue again` : `Stream '${stream}' plays the station`;
}

/** The seed service's queue shape. */
function seedQueue(s: StreamState): SeedQueue {
  return {
    name: s.name,
    files: s.items,
    file_count: s.items.length,
    loop: s.mode === "loop" || s.mode === "shuffle_loop",
  };
}

function refs(body: Record<string, unknown>, key: string, allowEmpty: boolean): string[] {
  const value = body[key];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw badRequest(`${key} must be a list of library item ids or paths`, "bad_items");
  }
  if (!allowEmpty && value.length === 0) throw badRequest(`${key} must name at least one item`, "bad_items");
  return value as string[];
}

/**
 * A queue position from the URL. Decimal digits only: `Number()` reads " " as 0 and "1e1" as 10,
 * so `DELETE …/queue/%20` used to remove the first item.
 */
function pathIndex(raw: string): number {
  if (!/^\d+$/.test(raw))
    throw badRequest(
      `index must be digits only, counting from 0 (…/queue/0 removes the first item); got ${JSON.stringify(raw)}`,
      "bad_index",
    );
  return Number(raw);
}

function integer(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value))
    throw badRequest(`${what} must be a whole number`, "bad_index");
  return value;
}
