import type {HaBridge} from "../bridge/haBridge.js";
import {shelfFeature} from "../bridge/shelfFeature.js";
import {BridgeTopics} from "../bridge/topics.js";
import {requireFfmpeg} from "../core/ffmpeg.js";
import {STORY_RADIO_REF} from "../family/shelfField.js";
import {Pictures} from "../pictures/pictures.js";
import type {Catalogue} from "../playing/catalogue.js";
import {itemId} from "../shelf/shelfItems.js";
import {Shelves} from "../shelf/shelves.js";
import {StoryRadio} from "../storyRadio/storyRadio.js";
import {iconRef} from "../yoto/cardKeys.js";
import type {Base} from "./basePhase.js";
import type {Cloud} from "./cloudPhase.js";
import type {Content} from "./contentPhase.js";
import type {Faces} from "./facesPhase.js";

export interface Shelf {
  shelves: Shelves;
  storyRadio: StoryRadio;
  pictures: Pictures;
}

/**
 * Phase 5 of the composition root, beside voice: the child's corner (each child's shelf and page)
 * and story radio over the plan, the players and everything playable; and per child in Home
 * Assistant the shelf as a select and story radio as a button.
 */
export function buildShelf(
  app: Base & Cloud & Content & Faces & {bridge: HaBridge; catalogue: Catalogue},
  ffmpegPath: string | undefined,
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
  });
  const shelves: Shelves = new Shelves({
    family,
    players,
    choices: (fresh) => app.catalogue.choices(fresh),
    play: (playerId, choice, admission) => app.catalogue.play(playerId, choice, admission),
    gate: app.gate,
    pictures,
    quietUntil: (playerId) => quietHours.period(playerId)?.until,
    storyRadio: (child) => storyRadio.forChild(child),
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
  return {shelves, storyRadio, pictures};
}

/** The shelf items' pictures: where each item's own is (a card's art, a story's icon, a podcast's cover). */
function buildPictures(app: Base & Cloud & Content & {catalogue: Catalogue}, ffmpegPath: string | undefined): Pictures {
  const iconUrl = async (ref: string) => {
    const icons = await app.icons.list();
    return [...icons.user, ...icons.public].find((i) => i.ref === ref)?.url;
  };
  return new Pictures({
    dataDir: app.dataDir,
    store: app.store,
    ffmpegPath: () => ffmpegPath ?? requireFfmpeg().path,
    policy: app.fetchPolicy,
    bus: app.bus,
    log: app.log.child("pictures"),
    iconUrl,
    ownSource: async (item) => {
      const [kind, ...rest] = item.split(":");
      const id = rest.join(":");
      if (kind === "card") {
        const card = await app.players.cardSummary(id);
        return card?.image ? {url: card.image, source: "art", what: `Card '${card.title ?? id}'`} : undefined;
      }
      if (kind === "story") {
        const story = app.stories.list().find((s) => s.id === id);
        const icon = story ? (app.stories.cardUpkeep.cardIcon(story.id) ?? story.icon) : undefined;
        const url = icon ? await iconUrl(iconRef(icon)) : undefined;
        return story && url ? {url, source: "story", what: `Story '${story.title}'`} : undefined;
      }
      if (kind === "stream" && app.feeds.has(id)) {
        const image = app.feeds.view(id).image;
        return image ? {url: image, source: "art", what: `Podcast '${id}'`} : undefined;
      }
      return undefined;
    },
    itemTitle: async (item) => {
      if (item === STORY_RADIO_REF) return "Story radio";
      const found = (await app.catalogue.choices()).find((c) => c.kind !== "group" && itemId(c) === item);
      return found?.title;
    },
  });
}
