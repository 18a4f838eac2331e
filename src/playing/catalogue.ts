import type {Announcer} from "../announce/announcer.js";
import type {Archive} from "../archive/archive.js";
import type {Cards} from "../cards/cards.js";
import {givenTitle} from "../cards/sources.js";
import type {EventBus} from "../core/events.js";
import type {Logger} from "../core/logger.js";
import type {Service} from "../core/service.js";
import {STORY_RADIO_PREFIX, STORY_RADIO_REF, shelfRef} from "../family/shelfField.js";
import type {Feeds} from "../feeds/feeds.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
import type {Icons} from "../icons/icons.js";
import type {Library} from "../library/library.js";
import type {OwnSource} from "../pictures/pictures.js";
import type {Stories} from "../stories/index.js";
import {inWords} from "../streams/model.js";
import type {Streams} from "../streams/streams.js";
import type {Admission} from "../yoto/admission.js";
import {CatalogueCache} from "./catalogueCache.js";
import {CatalogueIndex, itemId} from "./catalogueIndex.js";
import {kindOf, ownPicture} from "./kinds.js";
import {type StreamTitles, streamTitles} from "./streamTitles.js";
import {type CatalogueEntry, MAX_CHOICES} from "./types.js";

export interface CatalogueDeps {
  /** `cardSummary`: a card's art, its own picture. */
  players: Pick<GatedPlayers, "familyCards" | "command" | "groups" | "cardSummary">;
  streams: Pick<Streams, "list">;
  feeds: Pick<Feeds, "has" | "view">;
  /** `sceneAudio`: what each scene plays, so a story's own streams and scene audio are known as its parts. */
  stories: Pick<Stories, "list" | "play"> &
    Partial<Pick<Stories, "sceneAudio">> & {cardUpkeep: {cardIcon(storyId: string): string | undefined}};
  /** Yoto's icons and the family's: a story's icon is its own picture. */
  icons: Pick<Icons, "list">;
  library: Pick<Library, "list">;
  /**
   * `find` and `list`: the cards this service made, so what plays on them is named as the family
   * knows it, and a stream by the title of the card made from it.
   */
  cards: Pick<Cards, "playStream"> & Partial<Pick<Cards, "find" | "list">>;
  /** The archive: a stream made from an archived card is named after the card. */
  archive?: Pick<Archive, "overview">;
  announcer: Pick<Announcer, "announce" | "isRelayCard">;
  /** The title a renderer's cast plays on a relay card now (Music Assistant's queue), if one does. */
  castTitle?(cardId: string): string | undefined;
  /** What says that something the catalogue is made of changed: with it, once started, a catalogue built is kept until then. */
  bus?: Pick<EventBus, "on" | "off">;
  log: Logger;
}

/**
 * Everything a family can ask for by its title, read when asked (each source's own cache keeps it
 * quick), and how each kind plays: a card or a card group on the player, a story, a stream (a
 * station and a podcast are streams too) on its card, a library item once.
 */
export interface Catalogue extends Service {
  /** The same list, never to be changed, for every caller until something it is made of changes (catalogueCache.ts). */
  choices(fresh?: boolean): Promise<readonly CatalogueEntry[]>;
  /** Plays what the play gate let through (`gate.play` hands its admission to this). */
  play(playerId: string, choice: CatalogueEntry, admission: Admission): Promise<unknown>;
  ownTitle(playerId: string, cardId: string): OwnTitle | undefined;
  /** An item's own picture, by its id (`card:<id>`): a card's art, a story's icon, a podcast's cover. */
  picture(item: string): Promise<OwnSource | undefined>;
  /** An item's title by its id, undefined when it names nothing the family can play now. */
  titleOf(item: string): Promise<string | undefined>;
  /**
   * What a reference as a shelf writes it names now (`stream:rain`, `library:<id>`, a card's id or
   * title; a group's cards are not one thing to play): a child's sleep sound is one.
   */
  byRef(ref: string): Promise<CatalogueEntry | undefined>;
}

/**
 * What plays on a card of this service's own, as the family names it (never a stream's name or a
 * card id): a child's story radio (its child is the one whose stream it is), an announcement, or a
 * title. `chapters`: whether the card's chapter titles say more (a story's scenes, a podcast's
 * episodes), not the stream's name again.
 */
export type OwnTitle =
  | {kind: "story_radio"; stream: string}
  | {kind: "announcement"}
  | {kind: "title"; title: string; chapters: boolean};

export function catalogue(deps: CatalogueDeps): Catalogue {
  /** Per player, the library item last asked for: it plays on the announcer's relay card, named for the family here. */
  const items = new Map<string, string>();
  const kinds = {...deps, asked: (playerId: string, title: string) => items.set(playerId, title)};
  const archive = deps.archive ? {archive: deps.archive} : {};
  /** What the family calls each stream now, from the cards made from it (read again each time). */
  const titlesOf = () => streamTitles({cards: {list: () => deps.cards.list?.() ?? []}, feeds: deps.feeds, ...archive});
  const cache = new CatalogueCache(deps.bus);
  const all: Catalogue = {
    name: "catalogue",
    /** Keeps what is built, listening for what changes it (the app starts it before voice and the shelves). */
    start: async () => cache.start(),
    /** `fresh`: the family's cards and groups read again (at most every 2 s), for a title not found in the cached ones. */
    async choices(fresh = false) {
      const [cards, groups] = await Promise.all([
        deps.players.familyCards(fresh).catch(() => []),
        deps.players.groups.list(fresh).catch(() => []),
      ]);
      // From here to the end nothing waits: what is built is what the sources hold now.
      const lists = {cards, groups, stories: deps.stories.list()};
      const kept = cache.get(lists);
      if (kept) return kept;
      const generation = cache.generation;
      const built = buildChoices(deps, titlesOf(), lists);
      cache.keep(generation, lists, built);
      return built;
    },
    play: (playerId, choice, admission) => kindOf(choice).play(kinds, playerId, choice, admission),
    ownTitle(playerId, cardId) {
      // On the relay card: a cast's track as it plays now, else the library item last asked for, else an announcement.
      if (deps.announcer.isRelayCard(cardId)) {
        const title = deps.castTitle?.(cardId) ?? items.get(playerId);
        return title ? {kind: "title", title, chapters: false} : {kind: "announcement"};
      }
      const own = deps.cards.find?.(cardId);
      if (!own) return undefined;
      const source = own.source;
      switch (source.type) {
        case "stream":
        case "feed": {
          if (source.stream.startsWith(STORY_RADIO_PREFIX)) return {kind: "story_radio", stream: source.stream};
          // A card a parent titled keeps its title; one named after its stream (or blank) is called
          // what voice plays it by and the catalogue names it: the stream's title (streamTitles).
          const given = own.title !== source.stream && own.title.trim() !== "" ? own.title.trim() : null;
          return {kind: "title", title: given ?? titlesOf()(source.stream), chapters: source.type === "feed"};
        }
        case "story": {
          const story = deps.stories.list().find((s) => s.id === source.story);
          return {kind: "title", title: story?.title ?? source.made?.title ?? own.title, chapters: true};
        }
        default:
          return {kind: "title", title: own.title, chapters: true};
      }
    },
    picture: (item) => ownPicture(kinds, item),
    stop: async () => cache.stop(),
    async titleOf(item) {
      // A child's story radio is every child's by one id: the shelf's, not the catalogue's.
      if (item === STORY_RADIO_REF) return "Story radio";
      return (await all.choices()).find((c) => c.kind !== "group" && itemId(c) === item)?.title;
    },
    async byRef(ref) {
      const {prefix, name} = shelfRef(ref);
      if (prefix === "radio" || prefix === "group") return undefined;
      return new CatalogueIndex(await all.choices(), []).find(prefix === "library" ? "item" : prefix, name);
    },
  };
  return all;
}

/** Everything playable, from the lists as read now and every other source as it is now. */
function buildChoices(
  deps: CatalogueDeps,
  titles: StreamTitles,
  lists: {
    cards: Awaited<ReturnType<CatalogueDeps["players"]["familyCards"]>>;
    groups: Awaited<ReturnType<CatalogueDeps["players"]["groups"]["list"]>>;
    stories: ReturnType<Stories["list"]>;
  },
): CatalogueEntry[] {
  const {cards, groups, stories} = lists;
  const parts = storyParts(stories, deps.stories.sceneAudio?.bind(deps.stories));
  const partOf = (title: string | undefined) => (title === undefined ? {} : {partOf: title});
  const streams: CatalogueEntry[] = deps.streams.list().map((s) => {
    const podcast = deps.feeds.has(s.name);
    // A child's story radio is the child's own, never a part (voice names it for its child).
    const story = s.name.startsWith(STORY_RADIO_PREFIX) ? undefined : parts.streams.get(s.name);
    const kind = s.radio ? "station" : podcast ? "podcast" : "stream";
    return {kind, id: s.name, title: titles(s.name), ...otherTitles(s.name, titles), ...partOf(story)};
  });
  const items = deps.library.list({limit: MAX_CHOICES}).items;
  return [
    ...cards.map((c): CatalogueEntry => {
      const source = deps.cards.find?.(c.cardId)?.source;
      const made = source?.type === "stream" || source?.type === "feed" ? source.stream : undefined;
      // The card that names its stream (or one named after it) is the stream, offered by the stream's
      // title; another card made from it with a title of its own is a thing of its own, played as itself.
      const stream = made !== undefined && isTheStream(titles, made, c.cardId, c.title) ? made : undefined;
      // A story's own card is a way to play the story: the story is offered, once, by its title.
      const story =
        source?.type === "story" ? (stories.find((s) => s.id === source.story)?.title ?? source.story) : undefined;
      return {
        kind: "card",
        id: c.cardId,
        title: c.title,
        ...(stream ? {streamCard: stream} : {}),
        ...(story ? {partOf: story} : {}),
      };
    }),
    ...ownTitledCards(deps, titles, cards),
    ...groups.map((g): CatalogueEntry => ({kind: "group", id: g.id, title: g.name})),
    ...stories.map((s): CatalogueEntry => ({kind: "story", id: s.id, title: s.title})),
    ...streams,
    ...items.map((i): CatalogueEntry => ({kind: "item", id: i.id, title: i.title, ...partOf(parts.items.get(i.id))})),
  ];
}

/**
 * The cards made here from a stream with a title of their own that do not name it (a second card
 * of the demo stream, "The Purple Balloon"): each a thing of its own, played on itself and said by
 * its title (issue #100: it played the card that names the stream, and was said as that). Yoto's
 * library lists none of the family's own cards; any it does list is there already.
 */
function ownTitledCards(
  deps: CatalogueDeps,
  titles: StreamTitles,
  listed: ReadonlyArray<{cardId: string}>,
): CatalogueEntry[] {
  const there = new Set(listed.map((c) => c.cardId));
  const out: CatalogueEntry[] = [];
  for (const own of deps.cards.list?.() ?? []) {
    if (there.has(own.cardId) || (own.source.type !== "stream" && own.source.type !== "feed")) continue;
    const {stream} = own.source;
    if (!isTheStream(titles, stream, own.cardId, own.title))
      out.push({kind: "card", id: own.cardId, title: own.title.trim()});
  }
  return out;
}

/**
 * Whether a card made from a stream is the stream itself, offered by the stream's title: the card
 * that names it, one without a title of its own, one titled as the stream is (a second card of a
 * podcast, named after it), or a child's story radio (every child's own, never a choice).
 */
function isTheStream(titles: StreamTitles, stream: string, cardId: string, title: string): boolean {
  const given = givenTitle({title, source: {stream}});
  return (
    stream.startsWith(STORY_RADIO_PREFIX) ||
    titles.namingCard(stream) === cardId ||
    given === undefined ||
    given.toLowerCase() === titles(stream).toLowerCase()
  );
}

/**
 * The other name a stream answers to by voice: its name in words ("the demo stream"), when its
 * title is a card's. The other cards made from it are choices of their own, by their own titles.
 */
function otherTitles(name: string, titles: ReturnType<typeof streamTitles>): Pick<CatalogueEntry, "alsoCalled"> {
  const typed = inWords(name);
  return typed.toLowerCase() === titles(name).toLowerCase() ? {} : {alsoCalled: [typed]};
}

/**
 * The streams and library items a story plays in its scenes, each with the story's title: parts of
 * the story (the Sleepy Dragon's lullaby stream, its narrated scenes), the first story's where two share one.
 */
function storyParts(
  stories: ReturnType<Stories["list"]>,
  sceneAudio: Stories["sceneAudio"] | undefined,
): {streams: Map<string, string>; items: Map<string, string>} {
  const streams = new Map<string, string>();
  const items = new Map<string, string>();
  if (!sceneAudio) return {streams, items};
  for (const story of stories)
    for (const scene of story.scenes) {
      let plays: ReturnType<Stories["sceneAudio"]>;
      try {
        plays = sceneAudio(story, scene);
      } catch {
        continue;
      }
      if ("stream" in plays) {
        if (!streams.has(plays.stream)) streams.set(plays.stream, story.title);
      } else if ("items" in plays) for (const id of plays.items) if (!items.has(id)) items.set(id, story.title);
    }
  return {streams, items};
}
