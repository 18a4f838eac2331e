import {STORY_RADIO_PREFIX, storyRadioStream} from "../family/shelfField.js";
import type {CatalogueEntry} from "../playing/types.js";
import {AlsoCalled} from "./alsoCalled.js";

/** Lists kept per catalogue: one per child (and one for nobody named) and language. */
const KEPT = 32;

/**
 * What a play request for a child compares the heard title with: the catalogue without other
 * children's story radio, each thing once more per other title it answers to. Made once per child
 * and catalogue, not per request (issue #99): the catalogue is the same list until something in it
 * changes (catalogueCache.ts), so the list made from it is the same too, and the titles kept for
 * it (titleIndex.ts) are found by the list itself.
 */
export class ChildChoices {
  #of?: readonly CatalogueEntry[];
  readonly #kept = new Map<string, {choices: readonly CatalogueEntry[]; also: AlsoCalled}>();

  /** `storyRadio`: the language's words for it ("story radio"). */
  for(
    all: readonly CatalogueEntry[],
    child: string | undefined,
    storyRadio: string,
  ): {choices: readonly CatalogueEntry[]; also: AlsoCalled} {
    // Another catalogue: every list made from the one before goes.
    if (all !== this.#of) {
      this.#kept.clear();
      this.#of = all;
    }
    const key = `${child ?? ""}\u0000${storyRadio}`;
    const kept = this.#kept.get(key);
    if (kept) return kept;
    const also = new AlsoCalled();
    const made = {choices: also.expandAll(storyRadioOf(all, child, storyRadio)), also};
    if (this.#kept.size >= KEPT) this.#kept.clear();
    this.#kept.set(key, made);
    return made;
  }
}

/**
 * Story radio is the child's own: "play story radio for Ben" is Ben's (`story-radio-ben`), titled
 * as the language says it; another child's is not among the choices at all.
 */
export function storyRadioOf(
  all: readonly CatalogueEntry[],
  child: string | undefined,
  title: string,
): CatalogueEntry[] {
  const own = child ? storyRadioStream(child) : undefined;
  // One pass, nothing made per choice: a library of thousands is read on every request.
  const out: CatalogueEntry[] = [];
  for (const c of all) {
    // A card made for a stream is that stream, asked for by the stream's title.
    if (c.streamCard !== undefined) continue;
    if (c.kind !== "stream" || !c.id.startsWith(STORY_RADIO_PREFIX)) out.push(c);
    else if (c.id === own) {
      const {alsoCalled: _typed, ...radio} = c;
      out.push({...radio, title});
    }
  }
  return out;
}
