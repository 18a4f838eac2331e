import type {Announcer} from "../announce/announcer.js";
import {parseAnnounceRequest} from "../announce/request.js";
import type {Cards} from "../cards/cards.js";
import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import {within} from "../core/within.js";
import type {Feeds} from "../feeds/feeds.js";
import type {Library} from "../library/library.js";
import type {Stories} from "../stories/index.js";
import type {Streams} from "../streams/streams.js";
import type {YotoPlayers} from "../yoto/players.js";
import {MAX_CHOICES, type PlayChoice} from "./types.js";

export interface CatalogueDeps {
  players: Pick<YotoPlayers, "familyCards" | "command" | "groups">;
  streams: Pick<Streams, "list">;
  feeds: Pick<Feeds, "has" | "view">;
  stories: Pick<Stories, "list" | "play">;
  library: Pick<Library, "list">;
  cards: Pick<Cards, "playStream">;
  announcer: Pick<Announcer, "announce" | "isRelayCard">;
  /** The title a renderer's cast plays on a relay card now (Music Assistant's queue), if one does. */
  castTitle?(cardId: string): string | undefined;
  log: Logger;
}

/** How long a library item's start is waited for: the announcer answers only when it is over. */
const ITEM_START_MS = 1500;

/**
 * Everything a family can ask for by its title, read when asked (each source's own cache keeps it
 * quick), and how each kind plays: a card or a card group on the player, a story, a stream (a
 * station and a podcast are streams too) on its card, a library item once.
 */
export interface Catalogue {
  choices(fresh?: boolean): Promise<PlayChoice[]>;
  play(playerId: string, choice: PlayChoice): Promise<unknown>;
  ownTitle(playerId: string, cardId: string): string | undefined;
}

export function catalogue(deps: CatalogueDeps): Catalogue {
  /** Per player, the library item last asked for: it plays on the announcer's relay card, named for the family here. */
  const items = new Map<string, string>();
  return {
    /** `fresh`: the family's cards and groups read again (at most every 2 s), for a title not found in the cached ones. */
    async choices(fresh = false) {
      const [cards, groups] = await Promise.all([
        deps.players.familyCards(fresh).catch(() => []),
        deps.players.groups.list(fresh).catch(() => []),
      ]);
      const streams: PlayChoice[] = deps.streams.list().map((s) => {
        const podcast = deps.feeds.has(s.name);
        const title = (podcast ? deps.feeds.view(s.name).title : null) ?? s.name.replace(/[-_]+/g, " ");
        return {kind: s.radio ? "station" : podcast ? "podcast" : "stream", id: s.name, title};
      });
      const items = deps.library.list({limit: MAX_CHOICES}).items;
      return [
        ...cards.map((c): PlayChoice => ({kind: "card", id: c.cardId, title: c.title})),
        ...groups.map((g): PlayChoice => ({kind: "group", id: g.id, title: g.name})),
        ...deps.stories.list().map((s): PlayChoice => ({kind: "story", id: s.id, title: s.title})),
        ...streams,
        ...items.map((i): PlayChoice => ({kind: "item", id: i.id, title: i.title})),
      ];
    },
    async play(playerId, choice) {
      switch (choice.kind) {
        case "card":
          return deps.players.command(playerId, {command: "play_card", cardId: choice.id});
        case "group":
          return deps.players.command(playerId, {command: "play_group", group: choice.id});
        case "story":
          return deps.stories.play(playerId, choice.id);
        case "item": {
          items.set(playerId, choice.title);
          const run = deps.announcer.announce(playerId, parseAnnounceRequest({item: choice.id, resume: false}));
          run.catch((err) => deps.log.warning(`'${choice.title}' did not play (${errorMessage(err)})`));
          // Under way once it has not failed at once: its end is not what the family waits for.
          return within(run, ITEM_START_MS);
        }
        default:
          return deps.cards.playStream(playerId, choice.id);
      }
    },
    // On the relay card: a cast's track as it plays now, else the library item last asked for.
    ownTitle: (playerId, cardId) =>
      deps.announcer.isRelayCard(cardId) ? (deps.castTitle?.(cardId) ?? items.get(playerId)) : undefined,
  };
}
