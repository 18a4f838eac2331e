import {storyRadioStream} from "../family/shelfField.js";
import type {OwnCard} from "../shared/api/cards.js";
import type {ListeningSession} from "../shared/api/history.js";
import type {PlayerState} from "../shared/api/players.js";
import type {Catalogue} from "./catalogue.js";

/** What names a card this service made: the catalogue's words for it, the card itself, the children. */
export interface OwnNameSources {
  catalogue: Pick<Catalogue, "ownTitle">;
  cards: {find(cardId: string): OwnCard | undefined};
  announcer: {isRelayCard(cardId: string): boolean};
  /** The children's names as the family wrote them ("Ben"), for whose story radio a stream is. */
  children(): readonly string[];
}

/**
 * A card this service made, as a parent reads it: `title` ("Ben's story radio", the stream's or the
 * podcast's title); `ids`, the words the card and its chapters carry that are only ids (the stream's
 * name "story-radio-ben", a card titled after it), never shown where the title can be instead.
 */
export interface OwnName {
  title: string;
  /** Whether the card's chapter titles say more than the title (a podcast's episodes, a story's scenes). */
  chapters: boolean;
  ids: readonly string[];
}

/**
 * Names for what the Players and History views show, given by the service because only it knows
 * them: a card it made to play a stream is titled by the stream's name, which is an id.
 */
export interface OwnNames {
  card(cardId: string): OwnName | undefined;
  /** The player with what it plays named: a chapter or track titled by an id takes the card's title. */
  player(p: PlayerState): PlayerState;
  /** A session with its card's title, and no chapter title that is only an id. */
  session(s: ListeningSession): ListeningSession;
}

export function ownNames(from: OwnNameSources): OwnNames {
  const storyRadio = (stream: string) => {
    const child = from.children().find((c) => storyRadioStream(c) === stream);
    return child ? `${child}'s story radio` : undefined;
  };
  const card = (cardId: string): OwnName | undefined => {
    // The relay card plays casts and announcements: their own words are given elsewhere (nowPlaying).
    if (from.announcer.isRelayCard(cardId)) return undefined;
    const made = from.cards.find(cardId);
    const own = made ? from.catalogue.ownTitle("", cardId) : undefined;
    if (!made || !own || own.kind === "announcement") return undefined;
    if (own.kind === "story_radio") {
      const title = storyRadio(own.stream) ?? "Story radio";
      return {title, chapters: false, ids: [...new Set([made.title, own.stream])]};
    }
    // The stream's name is an id (a card named after it too); a card a parent titled keeps its title.
    const stream = made.source.type === "stream" || made.source.type === "feed" ? made.source.stream : undefined;
    return {title: own.title, chapters: own.chapters, ids: stream && stream !== own.title ? [stream] : []};
  };
  const isId = (name: OwnName, text: string | undefined) => text !== undefined && name.ids.includes(text);
  return {
    card,
    player(p) {
      const {cardId, chapterTitle, trackTitle} = p.playback;
      const name = cardId ? card(cardId) : undefined;
      if (!name || (!isId(name, chapterTitle) && !isId(name, trackTitle))) return p;
      return {
        ...p,
        playback: {
          ...p.playback,
          ...(isId(name, chapterTitle) ? {chapterTitle: name.title} : {}),
          ...(isId(name, trackTitle) ? {trackTitle: name.title} : {}),
        },
      };
    },
    session(s) {
      // A story radio card made again since (a new id) is still known by the stream it was titled after.
      const again = s.cardTitle ? storyRadio(s.cardTitle) : undefined;
      const name =
        (s.cardId ? card(s.cardId) : undefined) ?? (again && {title: again, chapters: false, ids: [s.cardTitle ?? ""]});
      if (!name) return s;
      const {chapterTitle, ...rest} = s;
      return {...rest, cardTitle: name.title, ...(chapterTitle && !isId(name, chapterTitle) ? {chapterTitle} : {})};
    },
  };
}
