import type {CatalogueEntry} from "../playing/types.js";
import type {VoiceAnswer} from "../shared/api/voice.js";
import type {VoiceLanguage} from "./languages/language.js";
import {spokenKey, withoutPolite} from "./spokenText.js";
import type {VoiceTurn} from "./voiceContext.js";
import {askAgain, atPlace, offeredFor} from "./voiceOffers.js";
import {playChoice} from "./voicePlay.js";
import {whatIsMeant} from "./whatIsMeant.js";

/**
 * The answer to a question this satellite asked within the minute: "Which one: Goodnight Moon, Moon
 * Fox or The Moon and the Owl?" — "the second one", "the last one", "die zweite", "the fox one", "die
 * mit dem Fuchs"; "Did you mean The Purple Balloon?" — "yes", "ja". Home Assistant sends the slots
 * its template had (none for "the second one"), so the words are read from the `what` slot where
 * there is one, else from the sentence, and matched against the titles offered only. It plays for the
 * Yoto and child they were offered for. Words that fit several of them ask again among those; words
 * that fit none ask again. Nothing offered: said, and nothing plays (a "yes" meant for something else
 * is told plainly that nothing was asked).
 */
export async function choose(turn: VoiceTurn): Promise<VoiceAnswer> {
  const a = turn.lang.answers;
  const said = spokenKey(withoutPolite(turn.asked.sentence || turn.what || "", turn.lang.words.polite));
  const yes = turn.lang.words.yes.includes(said.split(" ")[0] ?? "");
  const {offer} = turn;
  if (!offer) return turn.say("not_found", yes ? a.nothingAsked() : a.nothingOffered());
  const target = offeredFor(turn, offer, turn.target(), !turn.nobodyNamed(turn.who));
  if ("speech" in target) return target;
  if (target.kind !== "player") return turn.notAPlayer(target);
  const {player, child} = target;
  const about = turn.about(player, child);
  const rest = chosenWords(turn.what ?? said, turn.lang);
  let choice: CatalogueEntry | undefined;
  if (!rest) choice = yes && offer.options.length === 1 ? offer.options[0] : undefined;
  else {
    // A place in the list ("second"), else the offered titles' words ("fox").
    const meant = whatIsMeant(rest, turn.lang, offer.options);
    if (meant.kind === "ordinal") choice = atPlace(offer, meant.index);
    else if (meant.kind === "play") choice = meant.choice;
    // Words that fit some of them ("the dragon one" of two dragons): asked again among those.
    else if (meant.kind === "choose") return askAgain(turn, offer, meant.options, about);
  }
  if (!choice) return askAgain(turn, offer, offer.options, about);
  return playChoice(turn, player, child, choice);
}

/** Per language, the words of its own choose sentences that say nothing of which: "play", "the", "one", "yes". */
const FRAME = new WeakMap<VoiceLanguage, Set<string>>();

function frameWords(lang: VoiceLanguage): Set<string> {
  let words = FRAME.get(lang);
  if (!words) {
    const ordinal = new Set(lang.words.ordinals.flat().flatMap((o) => o.split(" ")));
    const literal = lang.sentences.choose
      .join(" ")
      .replace(/\{[^}]*\}/g, " ")
      .toLowerCase()
      .split(/[^\p{L}\p{N}']+/u);
    words = new Set(
      [...literal, ...lang.words.leading, ...lang.words.polite, ...lang.words.yes].filter((w) => w && !ordinal.has(w)),
    );
    FRAME.set(lang, words);
  }
  return words;
}

/** What was said without the words around the choice: "play the second one please" is "second", "die mit dem Drachen" "drachen". */
function chosenWords(heard: string, lang: VoiceLanguage): string {
  const frame = frameWords(lang);
  return spokenKey(heard)
    .split(" ")
    .filter((w) => w && !frame.has(w))
    .join(" ");
}
