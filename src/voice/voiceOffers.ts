import type {CatalogueEntry} from "../playing/types.js";
import type {VoiceAnswer} from "../shared/api/voice.js";
import {titleOf} from "./spokenTitle.js";
import type {VoiceTurn} from "./voiceContext.js";
import type {Target} from "./whoIsMeant.js";

/** How long "play the second one" may follow the titles named. */
export const OFFER_MS = 60_000;
/** Satellites remembered at once: past this, the oldest offer goes. */
const MAX_OFFERS = 100;

/**
 * Titles named to choose from, for whom (its player and child), and what was said to be offered
 * them ("radio"): a choice named for another child is asked again in those words.
 */
export interface Offer {
  options: CatalogueEntry[];
  playerId: string;
  child?: string;
  what: string;
  at: number;
}

/**
 * The titles each satellite last named to choose from ("Which one: The Sleepy Dragon, Dragon Songs or
 * The Dragon's Egg?"), so "play the second one" said next to the same satellite within a minute
 * plays it. Only next: the request after it spends it, whatever it was (issue #100: a second "yes"
 * swapped back what a parent had played since).
 * A request without a satellite (the API, a script) shares one place.
 */
export class VoiceOffers {
  readonly #offers = new Map<string, Offer>();

  constructor(private readonly now: () => number) {}

  keep(satellite: string | undefined, offer: Omit<Offer, "at">): void {
    const key = satellite ?? "";
    this.#offers.delete(key);
    this.#offers.set(key, {...offer, at: this.now()});
    for (const old of this.#offers.keys()) {
      if (this.#offers.size <= MAX_OFFERS) break;
      this.#offers.delete(old);
    }
  }

  /**
   * The offer this satellite heard within the minute, if any, taken away: each request to the
   * satellite spends it, answered ("yes" played it) or replaced (anything else was asked since). A
   * request that asks again keeps a new one.
   */
  take(satellite: string | undefined): Offer | undefined {
    const key = satellite ?? "";
    const offer = this.#offers.get(key);
    this.#offers.delete(key);
    return offer && this.now() - offer.at <= OFFER_MS ? offer : undefined;
  }

  /**
   * An offer a request took back in place, as it was (its minute not started again), unless the
   * satellite was offered something newer since: the request did not answer it (a pick refused for
   * another child, a Yoto offline, a failure Home Assistant may retry).
   */
  giveBack(satellite: string | undefined, offer: Offer): void {
    const key = satellite ?? "";
    if (!this.#offers.has(key)) this.#offers.set(key, offer);
  }

  clear(): void {
    this.#offers.clear();
  }
}

/** The title at a place in what was offered ("the second one"); -1 is the last. */
export function atPlace(offer: Offer, index: number): CatalogueEntry | undefined {
  return index < 0 ? offer.options.at(-1) : offer.options[index];
}

/**
 * Whom a choice taken from an offer plays for: with nobody named, the Yoto and child it was offered
 * for (not the satellite's room); named, whoever is named. A choice offered for a child (her story
 * radio among it) is not another's: taken for another child, or a Yoto not the child's, it is
 * refused with how to ask for them.
 */
export function offeredFor(turn: VoiceTurn, offer: Offer, named: Target, someoneNamed: boolean): Target | VoiceAnswer {
  let target = named;
  if (!someoneNamed) {
    const player = turn.deps.players.list().find((p) => p.id === offer.playerId);
    if (player) target = {kind: "player", player, ...(offer.child ? {child: offer.child} : {})};
  }
  const {child} = offer;
  // Who it was taken for: a child, else a Yoto by its name; a name that is nobody is answered as ever.
  const whose = target.kind === "player" || target.kind === "child_without_player" ? target.child : undefined;
  const name = whose ?? (target.kind === "player" ? target.player.name : undefined);
  if (child === undefined || name === undefined || whose === child) return target;
  const about = target.kind === "player" ? turn.about(target.player, target.child) : {child: name};
  // Not an answer to it: the choice stays open for the child it was offered for, its minute as it was.
  turn.deps.offers.giveBack(turn.asked.deviceId, offer);
  return turn.say("which", turn.lang.answers.offeredFor({child, other: name, what: offer.what}), about);
}

/**
 * The offer asked again, of `options` (all it held, or the few the answer's words fit), kept for
 * the satellite: "Which one: …?", or for one title "Did you mean …?".
 */
export function askAgain(
  turn: VoiceTurn,
  offer: Offer,
  options: CatalogueEntry[],
  about: Partial<VoiceAnswer> = {},
): VoiceAnswer {
  const a = turn.lang.answers;
  const {at: _at, ...kept} = offer;
  turn.deps.offers.keep(turn.asked.deviceId, {...kept, options});
  const [only] = options;
  const speech =
    options.length === 1 && only
      ? a.didYouMean({what: offer.what, title: titleOf(turn.lang, only)})
      : a.choose({titles: options.map((o) => titleOf(turn.lang, o))});
  return turn.say("which", speech, about);
}
