import type {Announcer} from "../announce/announcer.js";
import {parseAnnounceRequest} from "../announce/request.js";
import type {Cards} from "../cards/cards.js";
import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import {within} from "../core/within.js";
import type {Feeds} from "../feeds/feeds.js";
import type {GatedPlayers} from "../gate/gatedPlayers.js";
import type {Icons} from "../icons/icons.js";
import type {OwnSource} from "../pictures/pictures.js";
import type {Stories} from "../stories/index.js";
import type {Admission} from "../yoto/admission.js";
import {iconRef} from "../yoto/cardKeys.js";
import type {CatalogueEntry} from "./types.js";

/** What the kinds play with and find their pictures in. */
export interface KindDeps {
  players: Pick<GatedPlayers, "command" | "cardSummary">;
  feeds: Pick<Feeds, "has" | "view">;
  /** `cardUpkeep.cardIcon`: the icon a story's own card shows (a parent may have given it one in Yoto's app). */
  stories: Pick<Stories, "list" | "play"> & {cardUpkeep: {cardIcon(storyId: string): string | undefined}};
  icons: Pick<Icons, "list">;
  cards: Pick<Cards, "playStream">;
  announcer: Pick<Announcer, "announce">;
  log: Logger;
  /** A library item asked for on a player: it plays on the relay card, and is named for the family by it. */
  asked(playerId: string, title: string): void;
}

/**
 * One kind of thing a family plays, stated in one place: how it plays once the gate let it through,
 * and where its own picture is (a card's art, a story's icon, a podcast's cover), if it has one.
 */
interface Kind {
  play(deps: KindDeps, playerId: string, choice: CatalogueEntry, admission: Admission): Promise<unknown>;
  /** `id`: what follows the kind in the item's id (`card:<id>`); undefined when it has none of its own. */
  picture?(deps: KindDeps, id: string): Promise<OwnSource | undefined>;
}

/** How long a library item's start is waited for: the announcer answers only when it is over. */
const ITEM_START_MS = 1500;

/** Each kind by the word its items' ids start with (`card:`, `group:`, `story:`, `stream:`, `library:`). */
const KINDS = {
  card: {
    play: (deps, playerId, choice, admission) =>
      deps.players.command(playerId, {command: "play_card", cardId: choice.id}, admission),
    async picture(deps, id) {
      const card = await deps.players.cardSummary(id);
      return card?.image ? {url: card.image, source: "art", what: `Card '${card.title ?? id}'`} : undefined;
    },
  },
  group: {
    play: (deps, playerId, choice, admission) =>
      deps.players.command(playerId, {command: "play_group", group: choice.id}, admission),
  },
  story: {
    play: (deps, playerId, choice, admission) => deps.stories.play(playerId, choice.id, admission),
    async picture(deps, id) {
      const story = deps.stories.list().find((s) => s.id === id);
      // The icon on the story's card wins over the one its file names: it is the one the child sees.
      const icon = story ? (deps.stories.cardUpkeep.cardIcon(story.id) ?? story.icon) : undefined;
      const url = icon ? await iconUrl(deps.icons, iconRef(icon)) : undefined;
      return story && url ? {url, source: "story", what: `Story '${story.title}'`} : undefined;
    },
  },
  // A stream, a station and a podcast all play on the stream's card; a podcast's cover is its picture.
  stream: {
    play: (deps, playerId, choice, admission) => deps.cards.playStream(playerId, choice.id, admission),
    async picture(deps, id) {
      if (!deps.feeds.has(id)) return undefined;
      const image = deps.feeds.view(id).image;
      return image ? {url: image, source: "art", what: `Podcast '${id}'`} : undefined;
    },
  },
  library: {
    play(deps, playerId, choice, admission) {
      deps.asked(playerId, choice.title);
      const run = deps.announcer.announce(playerId, parseAnnounceRequest({item: choice.id, resume: false}), {
        start: admission,
      });
      run.catch((err) => deps.log.warning(`'${choice.title}' did not play (${errorMessage(err)})`));
      // Under way once it has not failed at once: its end is not what the family waits for.
      return within(run, ITEM_START_MS);
    },
  },
} satisfies Record<string, Kind> as Readonly<Record<string, Kind>>;

/** The kind of a catalogue entry, as its item id names it. */
export function kindOf(choice: CatalogueEntry): Kind {
  const word =
    choice.kind === "item"
      ? "library"
      : choice.kind === "station" || choice.kind === "podcast"
        ? "stream"
        : choice.kind;
  return KINDS[word] as Kind;
}

/** An item's own picture, by its id (`card:<id>`, `story:<id>`, `stream:<name>`): undefined when it has none. */
export function ownPicture(deps: KindDeps, item: string): Promise<OwnSource | undefined> {
  const [word = "", ...rest] = item.split(":");
  // The id comes from a request: only a kind of the table's own, never one along the prototype.
  const kind = Object.hasOwn(KINDS, word) ? KINDS[word] : undefined;
  return kind?.picture?.(deps, rest.join(":")) ?? Promise.resolve(undefined);
}

/** The image address of one of Yoto's icons or the family's, by its `yoto:#<mediaId>`. */
export async function iconUrl(icons: Pick<Icons, "list">, ref: string): Promise<string | undefined> {
  const listed = await icons.list();
  return [...listed.user, ...listed.public].find((i) => i.ref === ref)?.url;
}
