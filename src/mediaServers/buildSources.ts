import type {Cards} from "../cards/cards.js";
import type {Config} from "../config/schema.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import {locateFfmpeg} from "../core/ffmpeg.js";
import type {Logger} from "../core/logger.js";
import type {Library} from "../library/library.js";
import type {StateStore} from "../store/store.js";
import type {Streams} from "../streams/streams.js";
import type {SsdpScope} from "../upnp/ssdpSearch.js";
import {REF_PREFIX} from "./refs.js";
import {type OwnListeners, ServerGuard} from "./serverGuard.js";
import {Sources, type SourcesOptions} from "./sources.js";

export interface SourcesDeps {
  config: Config;
  store: StateStore;
  library: Library;
  streams: Streams;
  cards: Cards;
  log: Logger;
  ffmpegPath?: string;
  sources?: SourcesTuning;
  /** Where discovery searches (AppOptions.ssdpScope). */
  ssdpScope?: SsdpScope;
  /**
   * The app's fetch policy (built before the sources): its `fetch_allow` list, without the origins
   * the service trusts, lets a server's link reach another port of its host or a link-local address.
   */
  fetchPolicy: () => FetchPolicy;
  /** This service's own listeners, which no media server's link may lead to. */
  ownListeners: () => OwnListeners;
}

/** What tests set differently (AppOptions.sources): shorter waits, no pinned cache, SSDP answered from their own port. */
export type SourcesTuning = Pick<
  SourcesOptions,
  "ssdpTarget" | "discoveryEveryMs" | "ssdpWindowMs" | "cachePinMs" | "downloadIdleMs" | "downloadDeadlineMs"
>;

/** The home media servers for the composition root; their `dlna:` refs are queued like library items. */
export function buildSources(deps: SourcesDeps): Sources {
  const {config, streams} = deps;
  const log = deps.log.child("sources");
  const guard = new ServerGuard({
    listed: (url, address) => deps.fetchPolicy().listed(url, address),
    ownListeners: deps.ownListeners,
    log,
  });
  const sources = new Sources({
    configured: config.media_servers,
    discovery: config.media_discovery,
    ...deps.sources,
    ssdpScope: deps.ssdpScope,
    cacheLimitBytes: config.media_server_cache_mb * 1024 * 1024,
    normalize: config.audio_normalize,
    ffmpegPath: () => deps.ffmpegPath ?? locateFfmpeg()?.path,
    guard,
    store: deps.store,
    library: deps.library,
    // What a stream, a preset or a card plays stays cached, however long ago it was queued.
    inUse: () => {
      const ids = new Set<string>();
      for (const s of streams.list()) for (const id of [...s.items, ...Object.values(s.presets).flat()]) ids.add(id);
      for (const card of deps.cards.list())
        if (card.source.type === "items") for (const id of card.source.items) ids.add(id);
      return ids;
    },
    log,
  });
  streams.registerRefExpander(REF_PREFIX, (ref, stop) => sources.expand(ref, stop));
  return sources;
}
