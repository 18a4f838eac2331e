import {badRequest, errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import {STORY_RADIO_PREFIX} from "../family/shelfField.js";
import type {StreamState} from "../streams/model.js";
import type {OwnerWrites} from "../streams/streamOwnership.js";

/** What a takeover reads and does: the stream there, deleting it, the child's journal and the log. */
export interface TakeoverDeps {
  streams: {has(name: string): boolean; get(name: string): StreamState; delete(name: string): Promise<void>};
  writes: Pick<OwnerWrites, "othersOwn">;
  library: {get(id: string): unknown};
  family: {noteFor(child: string, what: "story_radio_took_over", text: string): Promise<void>};
  log: Logger;
}

/**
 * A stream of the child's story radio's name that was there before story radio first wrote it
 * (made by hand, or by an older version, before the name was kept for story radio): when it is
 * not a story radio's own from before, it is deleted (a feed following it, a station, its presets
 * go with it) so the child's story radio is made there, and the child's journal and the log say
 * what it was. Never a silent drop from the shelf: the story radio is made either way.
 */
export async function takeOver(deps: TakeoverDeps, child: string, stream: string, shelf: readonly string[]) {
  if (!deps.streams.has(stream)) return;
  const was = foreign(deps, stream, new Set(shelf));
  if (was === undefined) return;
  await deps.streams.delete(stream);
  deps.log.warning(`Story radio: took over the stream '${stream}' for ${child}; it was there before, ${was}`);
  const text = `A stream named '${stream}' was there before, ${was}: ${child}'s story radio took it over and plays ${child}'s shelf there now.`;
  await deps.family
    .noteFor(child, "story_radio_took_over", text)
    .catch((err) => deps.log.warning(`Story radio: the family journal did not take it (${errorMessage(err)})`));
}

/**
 * What the stream there is, in words, when it is not what story radio writes (a loop of the
 * shelf's items, nothing else): a feed follows it, it is a station, it has presets or another
 * mode, or items of the library not on the shelf. Undefined: by all it shows, the story radio's
 * own from before this start (an item since gone from the library is no sign).
 */
function foreign(deps: TakeoverDeps, stream: string, shelf: ReadonlySet<string>): string | undefined {
  // Feeds are the only other owner: none other writes a stream it does not own.
  if (deps.writes.othersOwn(stream)) return "following a podcast feed";
  const s = deps.streams.get(stream);
  if (s.radio) return "playing a radio station";
  const others = s.items.some((id) => !shelf.has(id) && deps.library.get(id) !== undefined);
  if (s.mode !== "loop" || Object.keys(s.presets ?? {}).length > 0 || others)
    return `with a queue of its own (${s.items.length} ${s.items.length === 1 ? "item" : "items"})`;
  return undefined;
}

/** A stream made with story radio's prefix by anyone but story radio: refused with why and what to name it instead. */
export function reservedName(stream: string) {
  const rest = stream.slice(STORY_RADIO_PREFIX.length);
  return badRequest(
    `Stream names starting with '${STORY_RADIO_PREFIX}' are kept for the children's story radios, which story radio makes from each child's shelf: name this stream another way, such as '${rest || "my"}-radio' (and put "story-radio" on a child's shelf for that child's own)`,
    "story_radio_name",
  );
}
