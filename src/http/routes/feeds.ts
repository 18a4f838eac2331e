import type Router from "@koa/router";
import {badRequest} from "../../core/errors.js";
import type {Feeds} from "../../feeds/feeds.js";

export interface FeedRouteDeps {
  feeds: Pick<Feeds, "has" | "follow" | "view" | "refresh" | "unfollow" | "episodes" | "hide" | "unhide">;
}

/**
 * A feed stream's own calls; following starts with `PUT /api/streams/<name>` and `{"feed": …}`,
 * and `GET /api/streams/<name>` shows the feed with the stream.
 */
export function feedRoutes(router: Router, deps: FeedRouteDeps): void {
  router.get("/api/streams/:name/feed", (ctx) => {
    ctx.body = deps.feeds.view(ctx.params.name as string);
  });
  // Answers once the refresh is done: what it did (and any error) is in the feed's view.
  router.post("/api/streams/:name/feed/refresh", async (ctx) => {
    const name = ctx.params.name as string;
    await deps.feeds.refresh(name);
    ctx.body = deps.feeds.view(name);
  });
  // Hiding is taking the episode's row out of the queue (`DELETE …/queue/<index>`); this undoes it.
  // The key is the feed's own id for the episode, as `feed.hidden` shows it: in the query
  // (`?key=`), which takes any id, or URL-encoded in the path (a key of "." or ".." is not a path
  // segment clients keep: they resolve it away).
  const unhide = async (ctx: Parameters<Parameters<typeof router.delete>[1]>[0], key: unknown) => {
    const name = ctx.params.name as string;
    if (typeof key !== "string" || key === "")
      throw badRequest("Say which episode: ?key=<its key, as feed.hidden shows it>", "bad_key");
    const episode = await deps.feeds.unhide(name, key);
    ctx.body = {
      success: true,
      message: `Episode '${episode.title}' of stream '${name}' is no longer hidden: it comes back at the refresh now under way if it is still among the newest`,
      feed: deps.feeds.view(name),
    };
  };
  router.delete("/api/streams/:name/feed/hidden", (ctx) => unhide(ctx, ctx.query.key));
  router.delete("/api/streams/:name/feed/hidden/:key", (ctx) => unhide(ctx, ctx.params.key));
  router.delete("/api/streams/:name/feed", async (ctx) => {
    const name = ctx.params.name as string;
    await deps.feeds.unfollow(name);
    ctx.body = {success: true, message: `Stream '${name}' no longer follows a feed; its episodes stay in it`};
  });
}
