import {STORY_RADIO_REF, shelfRef} from "../family/shelfField.js";
import {type CatalogueIndex, type GroupCards, itemId} from "../playing/catalogueIndex.js";
import type {CatalogueEntry} from "../playing/types.js";
import type {ShelfItem, ShelfKind, ShelfMissing} from "../shared/api/shelf.js";

export type {CatalogueEntry, GroupCards};

/** A shelf item with what plays it. */
export interface ResolvedItem extends ShelfItem {
  play: CatalogueEntry;
}

const MISSING_WHY: Record<string, string> = {
  card: "is not among the family's cards now (removed from the library, or not linked)",
  group: "is no card group of the family's library now",
  story: "is no story now (deleted, or renamed)",
  stream: "is no stream now (deleted)",
  library: "is not in the library now (removed)",
};

/**
 * A shelf's references read against what there is: the items a child sees (a group as its cards,
 * each once), and the references that name nothing, for the parent. `radio` is the story radio's
 * tile, when the child has one. The items' pictures are given after (`withPictures`).
 */
export function shelfItems(
  refs: readonly string[],
  index: CatalogueIndex,
  radio: {stream: string; title: string} | undefined,
): {items: ResolvedItem[]; missing: ShelfMissing[]} {
  const items: ResolvedItem[] = [];
  const missing: ShelfMissing[] = [];
  const seen = new Set<string>();
  const add = (ref: string, kind: ShelfKind, id: string, play: CatalogueEntry, group?: string) => {
    if (seen.has(id)) return false;
    seen.add(id);
    items.push({
      id,
      kind,
      title: play.title,
      // Drawn on the shelf once every item is known (shelfPictures.ts): no two alike.
      cover: "",
      picture: "drawing",
      ref,
      play,
      ...(group ? {group} : {}),
    });
    return true;
  };
  for (const ref of refs) {
    const {prefix, name} = shelfRef(ref);
    if (prefix === "radio") {
      if (radio) add(ref, "story_radio", STORY_RADIO_REF, {kind: "stream", id: radio.stream, title: radio.title});
      else
        missing.push({
          ref,
          why: "has nothing to play yet: story radio plays the shelf's library items, streams and podcasts",
        });
      continue;
    }
    if (prefix === "group") {
      const group = index.group(name);
      const cards = group?.cardIds.map((id) => index.find("card", id)).filter((c) => c !== undefined) ?? [];
      if (!group || cards.length === 0) {
        missing.push({ref, why: MISSING_WHY.group as string});
        continue;
      }
      let added = 0;
      for (const card of cards) if (add(ref, "card", `card:${card.id}`, card, group.name)) added++;
      if (added === 0) missing.push({ref, why: "has only cards already on the shelf"});
      continue;
    }
    const found = index.find(prefix === "library" ? "item" : prefix, name);
    if (!found) {
      missing.push({ref, why: MISSING_WHY[prefix] as string});
      continue;
    }
    // The same card by its id and by its title: one picture, and the parent told of the second.
    if (!add(ref, found.kind, itemId(found), found))
      missing.push({ref, why: `is '${found.title}' again, already on the shelf`});
  }
  return {items, missing};
}
