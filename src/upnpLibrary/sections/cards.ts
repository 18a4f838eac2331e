import type {Archive} from "../../archive/archive.js";
import {contentTypeOf} from "../../archive/cardRecord.js";
import {archivedCoverPath, archivedTrackPath} from "../../links/audioPaths.js";
import type {ArchivedCardDetail} from "../../shared/api/archive.js";
import type {Entry, ItemEntry, LibrarySection} from "../tree.js";
import {ALBUM, type AudioLinks, container, FOLDER, findIn, partsOf, present, TRACK} from "./common.js";

export type ArchiveView = Pick<Archive, "overview" | "card" | "has" | "file">;

const ID = "cards";

/**
 * "Cards": the family's archived Make Your Own cards → their chapters → their tracks, played from
 * the archive at home (a card deleted at Yoto still plays). Tracks that stream from a web address
 * are not archived and not listed.
 */
export function cardsSection(archive: ArchiveView, links: AudioLinks): LibrarySection {
  const cover = (card: {cardId: string; hasCover: boolean}) => coverOf(links, card);
  const trackItem = (card: ArchivedCardDetail, c: number, t: number, place: TrackPlace) =>
    trackOf(archive, links, card, c, t, place);

  const cardEntry = (cardId: string): Entry | undefined => {
    if (!archive.has(cardId)) return undefined;
    const card = archive.card(cardId);
    const count = chapters(card).length;
    // A card that only streams (one this service made from a stream or a story) holds nothing here.
    if (count === 0) return undefined;
    const art = cover(card);
    return {...container(`${ID}/${cardId}`, ID, card.title, count, ALBUM), ...(art ? {albumArt: art} : {})};
  };

  /**
   * The chapters with archived audio; an id keeps the chapter's place on the card. A chapter of one
   * track (most family cards) is that track, named by its chapter: a folder holding one item of the
   * same name is one tap more for nothing. Chapters of several tracks are folders.
   */
  const chapters = (card: ArchivedCardDetail): Entry[] => {
    const art = cover(card);
    const listed: Entry[] = [];
    card.chapters.forEach((chapter, c) => {
      const held = chapter.tracks.filter((t) => t.sha).length;
      if (held === 0) return;
      const id = `${ID}/${card.cardId}/${c + 1}`;
      if (chapter.tracks.length === 1) {
        // Numbered by its place among the card's chapters, as a folder beside it is placed (sort.ts).
        const item = trackItem(card, c + 1, 0, {id, parentId: `${ID}/${card.cardId}`, trackNumber: listed.length + 1});
        if (item) listed.push(item);
        return;
      }
      listed.push({
        ...container(id, `${ID}/${card.cardId}`, chapter.title, held, FOLDER),
        ...(art ? {albumArt: art} : {}),
      });
    });
    return listed;
  };

  /** A folder chapter's tracks (a one-track chapter, an item itself, has none). */
  const tracks = (card: ArchivedCardDetail, c: number): ItemEntry[] => {
    const chapter = card.chapters[c - 1];
    if (!chapter || chapter.tracks.length === 1) return [];
    const parentId = `${ID}/${card.cardId}/${c}`;
    return chapter.tracks
      .map((_, t) => trackItem(card, c, t, {id: `${parentId}/${t + 1}`, parentId, trackNumber: t + 1}))
      .filter(present);
  };

  /**
   * What a one-track chapter's track was called when the chapter was a folder (`…/2/1`), for a
   * control point that kept it: the same track, under the id it asks for.
   */
  const earlierId = (cardId: string, c: string | undefined, t: string | undefined): Entry | undefined => {
    if (t !== "1" || !/^[1-9][0-9]{0,3}$/.test(c ?? "") || !archive.has(cardId)) return undefined;
    const card = archive.card(cardId);
    if (card.chapters[Number(c) - 1]?.tracks.length !== 1) return undefined;
    const id = `${ID}/${cardId}/${c}/${t}`;
    return trackItem(card, Number(c), 0, {id, parentId: `${ID}/${cardId}`, trackNumber: 1});
  };

  const children = async (id: string): Promise<Entry[]> => {
    const parts = partsOf(ID, id);
    if (!parts) return [];
    if (parts.length === 0)
      return archive
        .overview()
        .cards.map((c) => cardEntry(c.cardId))
        .filter(present);
    const [cardId = "", chapter] = parts;
    if (!archive.has(cardId)) return [];
    const card = archive.card(cardId);
    if (parts.length === 1) return chapters(card);
    if (parts.length === 2 && /^[1-9][0-9]{0,3}$/.test(chapter ?? "")) return tracks(card, Number(chapter));
    return [];
  };

  return {
    id: ID,
    title: "Cards",
    children,
    async entry(id) {
      const parts = partsOf(ID, id);
      if (!parts || parts.length === 0)
        return parts ? container(ID, "0", "Cards", (await children(ID)).length) : undefined;
      if (parts.length === 1) return cardEntry(parts[0] as string);
      const found = await findIn(children(id.slice(0, id.lastIndexOf("/"))), id);
      return found ?? (parts.length === 3 ? earlierId(parts[0] as string, parts[1], parts[2]) : undefined);
    },
    async items() {
      const out: ItemEntry[] = [];
      for (const summary of archive.overview().cards) {
        const card = archive.card(summary.cardId);
        for (const chapter of chapters(card))
          if (chapter.kind === "item") out.push(chapter);
          else out.push(...tracks(card, Number(chapter.id.slice(chapter.id.lastIndexOf("/") + 1))));
      }
      return out;
    },
  };
}

type TrackPlace = Pick<ItemEntry, "id" | "parentId" | "trackNumber">;

const coverOf = (links: AudioLinks, card: {cardId: string; hasCover: boolean}) =>
  card.hasCover ? links.absolute(archivedCoverPath(card.cardId)) : undefined;

/** Track t (0-based) of chapter c (1-based) as an item; a one-track chapter's is named by the chapter. */
function trackOf(
  archive: ArchiveView,
  links: AudioLinks,
  card: ArchivedCardDetail,
  c: number,
  t: number,
  place: TrackPlace,
): ItemEntry | undefined {
  const chapter = card.chapters[c - 1];
  const track = chapter?.tracks[t];
  if (!chapter || !track?.sha) return undefined;
  const {file} = archive.file(track.sha);
  const url = links.absolute(archivedTrackPath({cardId: card.cardId, chapter: c, track: t + 1}, file.ext));
  if (!url) return undefined;
  const art = coverOf(links, card);
  return {
    kind: "item",
    ...place,
    title: chapter.tracks.length === 1 ? chapter.title : track.title,
    upnpClass: TRACK,
    res: {
      url,
      mime: contentTypeOf(file),
      size: file.bytes,
      ...(track.duration ? {duration: track.duration, bitrate: Math.round(file.bytes / track.duration)} : {}),
    },
    album: card.title,
    date: card.archivedAt.slice(0, 10),
    ...(art ? {albumArt: art} : {}),
  };
}
