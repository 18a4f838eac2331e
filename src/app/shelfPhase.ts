import type {HaBridge} from "../bridge/haBridge.js";
import {shelfFeature} from "../bridge/shelfFeature.js";
import {BridgeTopics} from "../bridge/topics.js";
import {requireFfmpeg} from "../core/ffmpeg.js";
import type {ChildWeeks} from "../family/childWeeks.js";
import type {SleepSounds} from "../family/sleepSounds.js";
import {Pictures} from "../pictures/pictures.js";
import type {Catalogue} from "../playing/catalogue.js";
import {iconUrl} from "../playing/kinds.js";
import {Shelves} from "../shelf/shelves.js";
import {StoryRadio} from "../storyRadio/storyRadio.js";
import type {Base} from "./basePhase.js";
import type {Cloud} from "./cloudPhase.js";
import type {Content} from "./contentPhase.js";
import type {Faces} from "./facesPhase.js";
import {buildNight} from "./nightPhase.js";

export interface Shelf {
  shelves: Shelves;
  sleep: SleepSounds;
  weeks: ChildWeeks;
  storyRadio: StoryRadio;
  pictures: Pictures;
}

/**
 * Phase 5 of the composition root, beside voice: wires the child's corner (the shelves and their
 * pictures), the children's sleep sounds, story radio, and the shelf's entities in Home Assistant (the bridge's shelf feature),
 * over the plan, the gated players and the catalogue. It decides nothing: what an item's own picture
 * and title are is the catalogue's, what a select offers the bridge's, the evening's volume story radio's.
 */
export function buildShelf(
  app: Base & Cloud & Content & Faces & {bridge: HaBridge; catalogue: Catalogue},
  ffmpegPath: string | undefined,
  sleepMinuteMs?: number,
): Shelf {
  const {players, family, quietHours} = app;
  const pictures = buildPictures(app, ffmpegPath);
  const storyRadio: StoryRadio = new StoryRadio({
    streams: app.streams,
    family,
    library: app.library,
    bus: app.bus,
    now: Date.now,
    log: app.log.child("story-radio"),
    players,
    cards: app.cards,
  });
  // Its cards are titled as the family says it ("Mia's story radio"), not by the stream's name.
  app.cards.registerSource("storyRadio", storyRadio);
  const {sleep, weeks} = buildNight(app, sleepMinuteMs);
  const shelves: Shelves = new Shelves({
    family,
    players,
    choices: (fresh) => app.catalogue.choices(fresh),
    play: (playerId, choice, admission) => app.catalogue.play(playerId, choice, admission),
    gate: app.gate,
    pictures,
    quietUntil: (playerId) => quietHours.period(playerId)?.until,
    sleep,
    storyRadio: (child, shelf) => storyRadio.forChild(child, shelf),
    timeZone: () => family.timeZone,
    now: Date.now,
    log: app.log.child("shelf"),
  });
  // Per child in Home Assistant: the shelf as a select, story radio as a button.
  app.bridge.register(
    shelfFeature({
      shelves,
      storyRadio,
      family,
      bus: app.bus,
      topics: new BridgeTopics(app.config.base_topic, app.config.discovery_prefix),
    }),
  );
  return {shelves, storyRadio, pictures, sleep, weeks};
}

/** The shelf items' pictures: each item's own (its art, its icon, its cover) and title are the catalogue's. */
function buildPictures(app: Base & Cloud & Content & {catalogue: Catalogue}, ffmpegPath: string | undefined): Pictures {
  return new Pictures({
    dataDir: app.dataDir,
    store: app.store,
    ffmpegPath: () => ffmpegPath ?? requireFfmpeg().path,
    policy: app.fetchPolicy,
    bus: app.bus,
    log: app.log.child("pictures"),
    iconUrl: (ref) => iconUrl(app.icons, ref),
    ownSource: (item) => app.catalogue.picture(item),
    itemTitle: (item) => app.catalogue.titleOf(item),
  });
}
