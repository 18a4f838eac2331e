import path from "node:path";
import type {Cards} from "../cards/cards.js";
import type {Config} from "../config/schema.js";
import type {EventBus} from "../core/events.js";
import type {FetchPolicy} from "../core/fetchPolicy.js";
import {requireFfmpeg} from "../core/ffmpeg.js";
import type {Logger} from "../core/logger.js";
import {tokenClaims} from "../core/tokenClaims.js";
import type {Library} from "../library/library.js";
import type {PublicLinks} from "../links/publicLinks.js";
import type {StateStore} from "../store/store.js";
import type {Streams} from "../streams/streams.js";
import type {YotoAccount} from "../yoto/account.js";
import type {YotoRest} from "../yoto/rest.js";
import {Archive} from "./archive.js";
import {ArchiveFolder} from "./archiveFolder.js";
import {ArchivePlayables} from "./archivePlay.js";
import {CoverThumbnails} from "./coverThumbnails.js";

export interface ArchiveDeps {
  config: Pick<Config, "archive_nightly" | "audio_normalize">;
  dataDir: string;
  rest: YotoRest;
  account: YotoAccount;
  library: Library;
  streams: Streams;
  links: PublicLinks;
  store: StateStore;
  cards: Cards;
  /** The announcements' relay cards are this service's own, not the family's. */
  announcer: {isRelayCard(cardId: string): boolean};
  bus: EventBus;
  log: Logger;
  fetchPolicy: FetchPolicy;
  ffmpegPath?: string;
}

/** The family archive and what it plays through (part of the composition root). */
export function buildArchive(deps: ArchiveDeps): Archive {
  const log = deps.log.child("archive");
  const dir = path.join(deps.dataDir, "archive");
  // Pointed at another cloud than Yoto's (the simulator), its media is on its own address: trusted.
  for (const origin of deps.rest.cloudOrigins) deps.fetchPolicy.trustOrigin(origin);
  const folder = new ArchiveFolder(dir, log);
  const playables = new ArchivePlayables({
    library: deps.library,
    streams: deps.streams,
    links: deps.links,
    store: deps.store,
    folder,
    normalize: deps.config.audio_normalize,
    ffmpegPath: () => deps.ffmpegPath ?? requireFfmpeg().path,
  });
  return new Archive({
    folder,
    rest: deps.rest,
    account: {
      linked: () => deps.account.status().state === "linked",
      subject: async () => {
        const {sub} = tokenClaims(await deps.account.accessToken().catch(() => ""));
        return typeof sub === "string" ? sub : undefined;
      },
    },
    playables,
    // Kept beside the archive, not in it: made again from the covers whenever they are missing.
    thumbnails: new CoverThumbnails(path.join(dir, "thumbnails"), () => deps.ffmpegPath ?? requireFfmpeg().path),
    streamTrack: (item, title) => deps.cards.itemTrack(item, title),
    policy: deps.fetchPolicy,
    nightlyAt: deps.config.archive_nightly === "off" ? null : deps.config.archive_nightly,
    serviceCard: (cardId) => serviceCard(deps, cardId),
    bus: deps.bus,
    log,
  });
}

/**
 * Cards this service made for itself: an announcements' relay card, and a card made here for a
 * radio station's stream. Neither holds the family's audio: each is one track streaming from here.
 */
function serviceCard(deps: Pick<ArchiveDeps, "announcer" | "cards" | "streams">, cardId: string): string | undefined {
  if (deps.announcer.isRelayCard(cardId)) return "the announcements' relay card";
  const source = deps.cards.find(cardId)?.source;
  if (source?.type === "stream" && deps.streams.has(source.stream) && deps.streams.get(source.stream).radio)
    return `the card of the radio station '${source.stream}'`;
  return undefined;
}
