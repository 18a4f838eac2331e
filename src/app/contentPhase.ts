import type {Announcer} from "../announce/announcer.js";
import type {OwnStart} from "../announce/announcerPlayers.js";
import {buildAnnouncer} from "../announce/buildAnnouncer.js";
import type {Archive} from "../archive/archive.js";
import {buildArchive} from "../archive/buildArchive.js";
import {Cards} from "../cards/cards.js";
import {buildLivingCards} from "../feeds/buildLivingCards.js";
import type {Feeds} from "../feeds/feeds.js";
import {Icons} from "../icons/icons.js";
import {buildSources} from "../mediaServers/buildSources.js";
import type {Sources} from "../mediaServers/sources.js";
import {buildRadio} from "../radio/buildRadio.js";
import type {Radio} from "../radio/radio.js";
import {buildStories, type Stories, type StoryNarration, type StreamedStories} from "../stories/index.js";
import type {AppOptions} from "./appOptions.js";
import type {Base} from "./basePhase.js";
import type {Cloud} from "./cloudPhase.js";
import type {LateWiring} from "./lateWiring.js";

/** What the family plays, and how it is made: cards, stories, announcements, feeds, radio, media servers, the archive. */
export interface Content {
  cards: Cards;
  /** The home network's media servers, whose tracks queue like library items. */
  sources: Sources;
  icons: Icons;
  stories: Stories;
  /** Stories' `say` scenes, spoken and cached. */
  narration: StoryNarration;
  /** Streamed stories (ink, and stories too big for a card): this service serves each next scene. */
  streamed: StreamedStories;
  announcer: Announcer;
  feeds: Feeds;
  /** Spoken daily items at the head of streams (the rules say them too). */
  spoken: ReturnType<typeof buildLivingCards>["spoken"];
  /** Streams that are internet radio stations. */
  radio: Radio;
  /** The family's own cards, kept at home. */
  archive: Archive;
}

/**
 * Phase 3 of the composition root: the wings that make and play content, over the base and the
 * cloud. `ownStart` is the announcer's alone (buildCloud's, never spread to the other phases).
 */
export function buildContent(deps: Base & Cloud, opts: AppOptions, late: LateWiring, ownStart: OwnStart): Content {
  const {config, dataDir, store, bus, log, library, streams, links, players, rest, fetchPolicy, speech} = deps;
  const ffmpegPath = opts.ffmpegPath;
  const cards = new Cards({store, rest, links, library, streams, players, bus, log: log.child("cards")});
  const sources = buildSources({
    config,
    store,
    library,
    streams,
    cards,
    log,
    ffmpegPath,
    sources: opts.sources,
    ssdpScope: opts.ssdpScope,
    fetchPolicy: () => fetchPolicy,
    ownListeners: late.ownListeners,
  });
  const icons = new Icons({rest, players, log: log.child("icons")});
  const {stories, narration, streamed} = buildStories({
    ...{config, dataDir, store, bus, log, library, streams, players, cards, speech, ffmpegPath},
    settleRules: late.settleRules,
    reloadRules: late.reloadRules,
    cardRetryMs: opts.stories?.cardRetryMs,
    attributionWaitMs: opts.stories?.attributionWaitMs,
  });
  const announcer = buildAnnouncer({
    config,
    dataDir,
    players,
    rest,
    links,
    store,
    streams,
    library,
    bus,
    log: log.child("announce"),
    speech,
    ffmpegPath,
    lamePath: opts.lamePath,
    fetchPolicy,
    quiet: late.quiet,
    ownStart,
  });
  const living = buildLivingCards({
    config,
    dataDir,
    library,
    streams,
    store,
    bus,
    log,
    core: deps.haCore,
    speech,
    ffmpegPath,
    version: deps.version,
    fetchPolicy,
  });
  const radio = buildRadio({
    ...{dataDir, streams, cards, fetchPolicy, speech, bus, log, ffmpegPath, timings: opts.radio},
    ownOrigins: late.ownOrigins,
    ownPorts: late.ownPorts,
  });
  const archive = buildArchive({
    ...{config, dataDir, rest, account: deps.account, library, streams, links, store, cards, announcer, bus, log},
    ...{fetchPolicy, ffmpegPath},
  });
  // Cards are made of stories, feed streams and archived cards' streams, which themselves use cards: they register.
  cards.registerSource("story", stories);
  cards.registerSource("feed", living.feeds);
  cards.registerSource("archive", archive);
  return {
    cards,
    sources,
    icons,
    stories,
    narration,
    streamed,
    announcer,
    feeds: living.feeds,
    spoken: living.spoken,
    radio,
    archive,
  };
}
