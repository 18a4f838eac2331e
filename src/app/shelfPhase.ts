import type {Component} from "../bridge/discovery.js";
import {childEntity, childEntityKey} from "../bridge/familyFeature.js";
import type {HaBridge} from "../bridge/haBridge.js";
import {BridgeTopics} from "../bridge/topics.js";
import {badRequest} from "../core/errors.js";
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

/** Bridge requests of the shelf's Home Assistant entities, each `{"child": …}` (and the select's `"title"`). */
export const SHELF_REQUESTS = {play: "shelf/play", storyRadio: "shelf/story_radio"} as const;

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
  registerShelfEntities(app, shelves, storyRadio);
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

/** Per child: "<child> shelf" (a select: picking a title plays it) and "<child> story radio" (a button). */
function registerShelfEntities(app: Base & Faces & {bridge: HaBridge}, shelves: Shelves, radio: StoryRadio): void {
  const topics = new BridgeTopics(app.config.base_topic, app.config.discovery_prefix);
  /** The titles each child's select offers, as last published: a pick is played by its title. */
  const titles = new Map<string, Map<string, string>>();
  const child = (data: Record<string, unknown>) => {
    if (typeof data.child !== "string" || data.child === "")
      throw badRequest(`Name the child: {"child": "<name>"}`, "invalid_payload");
    return data.child;
  };
  app.bridge.register({
    name: "shelf",
    components: () => {
      const out: Record<string, Component> = {};
      for (const view of app.family.list().children) {
        const key = (what: string) => childEntityKey(view.name, what);
        const entity = (what: string, platform: string, extra: Record<string, unknown>) =>
          childEntity(topics, view.name, what, platform, extra);
        const options = [...(titles.get(view.name)?.keys() ?? [])];
        if (options.length > 0)
          out[key("shelf")] = entity("shelf", "select", {
            name: `${view.name} shelf`,
            icon: "mdi:bookshelf",
            command_topic: topics.request(SHELF_REQUESTS.play),
            command_template: `{{ {'child': ${JSON.stringify(view.name)}, 'title': value} | tojson }}`,
            options,
          });
        if (radio.forChild(view.name))
          out[key("story_radio")] = entity("story_radio", "button", {
            name: `${view.name} story radio`,
            icon: "mdi:radio-tower",
            command_topic: topics.request(SHELF_REQUESTS.storyRadio),
            payload_press: JSON.stringify({child: view.name}),
          });
      }
      return out;
    },
    info: () => ({}),
    requests: {
      [SHELF_REQUESTS.play]: async (data) => {
        // The child as the plan has it (a 404 names the children), the titles as the shelf is now.
        const name = app.family.child(child(data)).name;
        const offered = selectOptions((await shelves.view(name)).items);
        const id = typeof data.title === "string" ? offered.get(data.title) : undefined;
        if (!id) {
          const known = [...offered.keys()].slice(0, 20).map((t) => `'${t}'`);
          throw badRequest(
            `${typeof data.title === "string" ? `'${data.title.slice(0, 100)}' is not` : "Name a title"} on ${name}'s shelf: ${known.length ? `its titles are ${known.join(", ")}` : "the shelf is empty"}; send {"child": "${name}", "title": "<title>"}`,
            "invalid_payload",
          );
        }
        return shelves.play(name, id, "shelf_select");
      },
      [SHELF_REQUESTS.storyRadio]: (data) => shelves.play(child(data), "story-radio", "shelf_select"),
    },
    watch(changed) {
      const owner = {};
      // The titles are read (the shelves resolved) before the components are asked for.
      // Only a change of what the selects offer is a change of the entities (a child's minutes are not).
      const refresh = async () => {
        const offered = () =>
          JSON.stringify(
            [...titles].map(([child, options]) => [child, [...options.keys()], Boolean(radio.forChild(child))]),
          );
        const before = offered();
        for (const view of app.family.list().children) {
          const shelf = await shelves.view(view.name).catch(() => undefined);
          titles.set(view.name, selectOptions(shelf?.items ?? []));
        }
        for (const child of [...titles.keys()]) if (!app.family.names().includes(child)) titles.delete(child);
        if (offered() !== before) changed();
      };
      app.bus.on(owner, "family.changed", () => void refresh());
      app.bus.on(owner, "stream.changed", () => void refresh());
      void refresh();
      return () => app.bus.off(owner);
    },
  });
}

/** A title per item, made unique ("Songs (2)"), at most 255 characters, as Home Assistant's select takes them. */
function selectOptions(items: ReadonlyArray<{id: string; title: string; kind: string}>): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of items) {
    if (item.kind === "story_radio") continue;
    const base = item.title.slice(0, 240) || item.id;
    let title = base;
    for (let n = 2; out.has(title); n++) title = `${base} (${n})`;
    out.set(title, item.id);
  }
  return out;
}
