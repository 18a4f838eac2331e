import path from "node:path";
import type {Config} from "../config/schema.js";
import type {EventBus} from "../core/events.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import type {Logger} from "../core/logger.js";
import type {Library} from "../library/library.js";
import type {CoreApi, Speech} from "../speech/speech.js";
import type {StateStore} from "../store/store.js";
import type {Streams} from "../streams/streams.js";
import {Feeds} from "./feeds.js";
import {SpokenItems} from "./spokenItems.js";

export interface LivingCardsDeps {
  config: Pick<Config, "upload_max_mb" | "audio_normalize">;
  dataDir: string;
  library: Library;
  streams: Streams;
  store: StateStore;
  bus: EventBus;
  log: Logger;
  /** Home Assistant's Core API (through the Supervisor) when running inside it. */
  core?: CoreApi;
  /** The one text-to-speech the composition root made (announcements speak with it too). */
  speech: Speech;
  ffmpegPath?: string;
  version: string;
  fetchPolicy: FetchPolicy;
}

/** Streams that follow feeds, and spoken items at the head of streams (docs/feeds.md, "Podcast feeds" and "Spoken daily content"), for the composition root. */
export function buildLivingCards(deps: LivingCardsDeps): {feeds: Feeds; spoken: SpokenItems} {
  const {config, dataDir, library, streams} = deps;
  const maxBytes = config.upload_max_mb * 1024 * 1024;
  const feeds = new Feeds({
    streams,
    library,
    store: deps.store,
    bus: deps.bus,
    log: deps.log.child("feeds"),
    downloadDir: path.join(dataDir, "feed-downloads"),
    maxEpisodeBytes: maxBytes,
    normalize: config.audio_normalize,
    ffmpegPath: () => deps.ffmpegPath,
    userAgent: `yoto-smart-stream/${deps.version}`,
    fetchPolicy: deps.fetchPolicy,
  });
  const spoken = new SpokenItems({
    speech: deps.speech,
    library,
    streams,
    core: deps.core,
    workDir: path.join(dataDir, "spoken-incoming"),
    maxBytes,
    ffmpegPath: () => deps.ffmpegPath,
    log: deps.log.child("spoken"),
  });
  return {feeds, spoken};
}
