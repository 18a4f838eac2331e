import Router from "@koa/router";
import Koa, {type Middleware} from "koa";
import type {Clip} from "../announce/clips.js";
import type {Logger} from "../core/logger.js";
import type {Library} from "../library/library.js";
import type {UrlSigner} from "../links/urlSigner.js";
import type {Radio} from "../radio/radio.js";
import type {Stories} from "../stories/stories.js";
import type {Streams} from "../streams/streams.js";
import type {FileResources} from "./fileResource.js";
import type {FileSender} from "./fileSender.js";
import {errorResponses} from "./middleware/errors.js";
import {type RateLimitOptions, rateLimit} from "./middleware/rateLimit.js";
import {audioRoutes} from "./routes/audio.js";
import {relayAudioRoutes} from "./routes/relayAudio.js";
import {storyAudioRoutes} from "./routes/storyAudio.js";
import {streamAudioRoutes} from "./routes/streamAudio.js";

export interface AudioAppDeps {
  library: Library;
  files: FileResources;
  streams: Streams;
  radio: Radio;
  stories: Stories;
  sender: FileSender;
  signer: UrlSigner;
  /** What each player's relay card plays now (announcements). */
  relay: {clipFor(playerId: string): Clip | undefined};
  rateLimit: RateLimitOptions;
  log: Logger;
}

/**
 * The public listener players reach. Only signed URLs exist here: anything else is a 404 that
 * tells nothing about what does exist.
 */
export function createAudioApp(deps: AudioAppDeps): Koa {
  const app = new Koa();
  app.silent = true;
  const router = new Router();
  audioRoutes(router, deps.library, deps.files);
  streamAudioRoutes(router, deps.streams, deps.sender, deps.radio);
  storyAudioRoutes(router, deps);
  relayAudioRoutes(router, deps.relay, deps.sender);

  app.use(errorResponses(deps.log));
  app.use(rateLimit(deps.rateLimit));
  // Signature first: an unsigned preflight is a 404 like any other unsigned request, and says
  // nothing (not even CORS headers) about what exists.
  app.use(signedOnly(deps.signer));
  app.use(cors);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

// Browsers (the panel, web players) may fetch audio cross-origin; nothing here uses cookies.
const cors: Middleware = async (ctx, next) => {
  ctx.set("Access-Control-Allow-Origin", "*");
  ctx.set("Access-Control-Expose-Headers", "Accept-Ranges, Content-Length, Content-Range, ETag");
  if (ctx.method === "OPTIONS") {
    ctx.set("Access-Control-Allow-Methods", "GET, HEAD");
    ctx.set("Access-Control-Allow-Headers", "Range, If-Range");
    ctx.status = 204;
    return;
  }
  await next();
};

const SIG_PARAM = /(?<=^|&)sig=[^&]*/g;

function signedOnly(signer: UrlSigner): Middleware {
  return async (ctx, next) => {
    // Read straight from the query string: parsing it whole for one key cost more than the rest of
    // a range request's routing (bench/streamServing.ts). A repeated `sig` is refused.
    const found = ctx.querystring.match(SIG_PARAM);
    const sig = found && found.length === 1 ? found[0].slice(found[0].indexOf("=") + 1) : undefined;
    if (!signer.verify(ctx.path, sig)) {
      ctx.status = 404;
      ctx.body = {error: "Not found", code: "not_found"};
      return;
    }
    await next();
  };
}
