import {cleanTitle} from "../core/cleanTitle.js";
import {ownEntry} from "../core/ownKeys.js";
import type {ChildShelf, ShelfSleep} from "../shared/api/shelf.js";
import {ownWords, spokenTitle} from "../voice/spokenTitle.js";
import {VOICE_LANGUAGES} from "../voice/voiceRequest.js";

/** Why the child may not play now, in each language's words (the shelf's reason, as the page has it). */
const REASONS: Record<string, Record<ShelfSleep["reason"], string>> = {
  en: {bedtime: "bedtime", budget: "budget", quiet: "quiet"},
  de: {bedtime: "Schlafenszeit", budget: "Hörzeit für heute aufgebraucht", quiet: "Ruhezeit"},
};

/** The shelf's sentences, per language, in the tone of that language's voice answers. */
const SENTENCES: Record<
  string,
  {
    shelf(a: {whose: string; titles: string}): string;
    empty(a: {whose: string}): string;
    asleep(a: {child: string; until: string; reason: string}): string;
  }
> = {
  en: {
    shelf: ({whose, titles}) => `${whose} shelf: ${titles}.`,
    empty: ({whose}) => `${whose} shelf is empty: a parent fills it on the Family page.`,
    asleep: ({child, until, reason}) => `${child} may not play from it until ${until} (${reason}).`,
  },
  de: {
    shelf: ({whose, titles}) => `${whose} Regal: ${titles}.`,
    empty: ({whose}) => `${whose} Regal ist leer: Eltern können es auf der Seite Familie füllen.`,
    asleep: ({child, until, reason}) => `${child} darf bis ${until} Uhr nicht davon spielen (${reason}).`,
  },
};

/**
 * `yoto_shelf`'s answer in the language asked (English else): the titles quoted and clean, as voice
 * says them (a podcast's or a card's title is anyone's text), and the same clean titles as data.
 */
export function shelfAnswer(
  shelf: ChildShelf,
  language: string | undefined,
): {text: string; items: Array<{title: string; kind: string}>} {
  const code = language && ownEntry(SENTENCES, language) ? language : "en";
  const lang = ownEntry(VOICE_LANGUAGES, code) ?? (VOICE_LANGUAGES.en as NonNullable<(typeof VOICE_LANGUAGES)["en"]>);
  const say = SENTENCES[code] as (typeof SENTENCES)["en"];
  const whose = lang.possessives(shelf.child)[0] ?? shelf.child;
  // The child's own story radio is named by this service, not by a feed: said as it is.
  const said = shelf.items.map((item) =>
    item.kind === "story_radio" ? ownWords(item.title) : spokenTitle(lang, item.title),
  );
  const asleep = shelf.sleep
    ? ` ${say.asleep({
        child: shelf.child,
        until: shelf.sleep.until.slice(11, 16),
        reason: (REASONS[code] as (typeof REASONS)["en"])[shelf.sleep.reason],
      })}`
    : "";
  const text = said.length ? `${say.shelf({whose, titles: said.join(", ")})}${asleep}` : say.empty({whose});
  return {text, items: shelf.items.map((item) => ({title: cleanTitle(item.title), kind: item.kind}))};
}
