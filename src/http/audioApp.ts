import Router from "@koa/router";
import Koa, {type Middleware} from "koa";
import type {Clip} from "../announce/clips.js";
import type {Logger} from "../core/logger.js";
import type {Library} from "../library/library.js";
import {isStreamPath} from "../links/audioPaths.js";
import type {UrlSigner} from "../links/urlSigner.js";
import type {Radio} from "../radio/radio.js";
import type {Stories} from "../stories/index.js";
import type {Streams} from "../streams/streams.js";
import {AUDIO_CORS_HEADERS} from "./audioCors.js";
import {audioFastPath} from "./audioFastPath.js";
import {dlnaHeaders} from "./dlnaHeaders.js";
import type {FastPath} from "./fastAnswer.js";
import type {FileResources} from "./fileResource.js";
import type {FileSender} from "./fileSender.js";
import {watchListener} from "./listenerLeaving.js";
import {errorResponses} from "./middleware/errors.js";
import {RateLimiter, type RateLimitOptions, rateLimit} from "./middleware/rateLimit.js";
import {type ArchiveAudio, archiveAudioRoutes} from "./routes/archiveAudio.js";
import {audioRoutes} from "./routes/audio.js";
import {relayAudioRoutes} from "./routes/relayAudio.js";
import {storyAudioRoutes} from "./routes/storyAudio.js";
import {streamAudioRoutes} from "./routes/streamAudio.js";
import {signatureIn} from "./signature.js";
import {streamFastPath} from "./streamFastPath.js";

export interface AudioAppDeps {
  library: Library;
  files: FileResources;
  streams: Streams;
  radio: Radio;
  /** Story cards' scenes, narrated, and the slots of the streamed stories this service plays. */
  stories: Stories;
  /** The family archive's tracks and covers (for media browsers), when the archive runs. */
  archive?: ArchiveAudio;
  sender: FileSender;
  signer: UrlSigner;
  /** What each player's relay card plays now (announcements). */
  relay: {clipFor(playerId: string): Clip | undefined};
  rateLimit: RateLimitOptions;
  log: Logger;
}

export interface AudioApp {
  app: Koa;
  /**
   * Library and stream ranges answered before the framework (audioFastPath.ts, streamFastPath.ts);
   * the rest goes to `app`.
   */
  fastPath: FastPath;
}

/**
 * The public listener players reach. Only signed URLs exist here: anything else is a 404 that
 * tells nothing about what does exist.
 */
export function createAudioApp(deps: AudioAppDeps): AudioApp {
  const limiter = new RateLimiter(deps.rateLimit);
  const app = new Koa();
  app.silent = true;
  const router = new Router();
  audioRoutes(router, deps.library, deps.files);
  streamAudioRoutes(router, deps.streams, deps.sender, deps.radio);
  storyAudioRoutes(router, deps);
  relayAudioRoutes(router, deps.relay, deps.sender);
  if (deps.archive) archiveAudioRoutes(router, deps.archive, deps.files);

  app.use(errorResponses(deps.log));
  app.use(rateLimit(limiter));
  // Signature first: an unsigned preflight is a 404 like any other unsigned request, and says
  // nothing (not even CORS headers) about what exists.
  app.use(signedOnly(deps.signer));
  app.use(cors);
  app.use(dlnaHeaders);
  app.use(router.routes());
  app.use(router.allowedMethods());
  const files = audioFastPath({library: deps.library, files: deps.files, signer: deps.signer, limiter});
  const streams = streamFastPath({streams: deps.streams, sender: deps.sender, signer: deps.signer, limiter});
  return {
    app,
    // Every request passes here first: a listener that leaves costs one debug line, whichever path answers.
    fastPath: (req, res, full) => {
      watchListener(req, res, deps.log);
      if (isStreamPath(req.url ?? "")) streams(req, res, full);
      else files(req, res, full);
    },
  };
}

const cors: Middleware = async (ctx, next) => {
  ctx.set(AUDIO_CORS_HEADERS);
  if (ctx.method === "OPTIONS") {
    ctx.set("Access-Control-Allow-Methods", "GET, HEAD");
    ctx.set("Access-Control-Allow-Headers", "Range, If-Range");
    ctx.status = 204;
    return;
  }
  await next();
};

function signedOnly(signer: UrlSigner): Middleware {
  return async (ctx, next) => {
    if (!signer.verify(ctx.path, signatureIn(ctx.querystring))) {
      ctx.status = 404;
      ctx.body = {error: "Not found", code: "not_found"};
      return;
    }
    await next();
  };
}
