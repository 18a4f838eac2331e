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
  const cover = (card: {cardId: string; hasCover: boolean}) =>
    card.hasCover ? links.absolute(archivedCoverPath(card.cardId)) : undefined;

  const cardEntry = (cardId: string): Entry | undefined => {
    if (!archive.has(cardId)) return undefined;
    const card = archive.card(cardId);
    const count = chapters(card).length;
    // A card that only streams (one this service made from a stream or a story) holds nothing here.
    if (count === 0) return undefined;
    const art = cover(card);
    return {...container(`${ID}/${cardId}`, ID, card.title, count, ALBUM), ...(art ? {albumArt: art} : {})};
  };

  /** The chapters with archived audio; an id keeps the chapter's place on the card. */
  const chapters = (card: ArchivedCardDetail): Entry[] => {
    const art = cover(card);
    return card.chapters.flatMap((chapter, c) => {
      const held = chapter.tracks.filter((t) => t.sha).length;
      if (held === 0) return [];
      const id = `${ID}/${card.cardId}/${c + 1}`;
      return [{...container(id, `${ID}/${card.cardId}`, chapter.title, held, FOLDER), ...(art ? {albumArt: art} : {})}];
    });
  };

  const tracks = (card: ArchivedCardDetail, c: number): ItemEntry[] => {
    const chapter = card.chapters[c - 1];
    if (!chapter) return [];
    const art = cover(card);
    return chapter.tracks
      .map((track, t): ItemEntry | undefined => {
        if (!track.sha) return undefined;
        const {file} = archive.file(track.sha);
        const url = links.absolute(archivedTrackPath({cardId: card.cardId, chapter: c, track: t + 1}, file.ext));
        if (!url) return undefined;
        // A chapter of one track (most family cards) is named by its chapter.
        const title = chapter.tracks.length === 1 ? chapter.title : track.title;
        return {
          kind: "item",
          id: `${ID}/${card.cardId}/${c}/${t + 1}`,
          parentId: `${ID}/${card.cardId}/${c}`,
          title,
          upnpClass: TRACK,
          res: {
            url,
            mime: contentTypeOf(file),
            size: file.bytes,
            ...(track.duration ? {duration: track.duration, bitrate: Math.round(file.bytes / track.duration)} : {}),
          },
          album: card.title,
          trackNumber: t + 1,
          date: card.archivedAt.slice(0, 10),
          ...(art ? {albumArt: art} : {}),
        };
      })
      .filter(present);
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
      return findIn(children(id.slice(0, id.lastIndexOf("/"))), id);
    },
    async items() {
      const out: ItemEntry[] = [];
      for (const summary of archive.overview().cards) {
        const card = archive.card(summary.cardId);
        for (let c = 1; c <= card.chapters.length; c++) out.push(...tracks(card, c));
      }
      return out;
    },
  };
}
