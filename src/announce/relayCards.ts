import {linearCard} from "../cards/cardJson.js";
import {AppError, errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";
import {relayPath} from "../links/audioPaths.js";
import type {PublicLinks} from "../links/publicLinks.js";
import type {StoreNamespace} from "../store/namespace.js";
import type {StateStore} from "../store/store.js";
import type {Admission} from "../yoto/admission.js";
import {YotoApiError, type YotoRest} from "../yoto/rest.js";
import type {AnnouncerPlayers} from "./announcerPlayers.js";

/** A player's relay card: one chapter, one stream track that plays whatever is announced next. */
export interface RelayCard {
  cardId: string;
  playerId: string;
  createdAt: string;
  /** What its track is called on the account now: absent, "Announcement" (as it was made). */
  label?: string;
}

/** The relay track's name while it says an announcement (or plays a stream with no title of its own). */
export const ANNOUNCEMENT = "Announcement";

/** A title longer than this is cut: it is a card's title on a small screen, not a record. */
const MAX_LABEL = 100;

/** How long a relay card seen on the account is trusted before it is looked up again. */
const CHECKED_FOR_MS = 10 * 60_000;

/**
 * One relay card per player, made on the family's account the first time the player announces,
 * remembered, and made again if it disappears from the account (deleted in the Yoto app).
 */
export class RelayCards {
  readonly #rest: YotoRest;
  readonly #links: PublicLinks;
  readonly #log: Logger;
  readonly #store: StateStore;
  #keyv?: StoreNamespace<RelayCard>;
  readonly #cards = new Map<string, RelayCard>();
  readonly #checkedAt = new Map<string, number>();
  /** Each player's relay card being titled now: the title, and its write (one at a time, in order). */
  readonly #labelling = new Map<string, {label: string; written: Promise<void>}>();

  constructor(opts: {rest: YotoRest; links: PublicLinks; store: StateStore; log: Logger}) {
    this.#rest = opts.rest;
    this.#links = opts.links;
    this.#store = opts.store;
    this.#log = opts.log;
  }

  async start(): Promise<void> {
    this.#keyv = this.#store.namespace<RelayCard>("relay_cards");
    for (const [id, card] of await this.#store.entries<RelayCard>("relay_cards")) this.#cards.set(id, card);
  }

  stop(): void {
    this.#cards.clear();
    this.#checkedAt.clear();
    this.#labelling.clear();
  }

  /**
   * Title the player's relay card as what it plays next, before the player is asked to play it: the
   * player reports (and the Yoto app shows) the card's own title and track, so a cast is shown as the
   * cast and an announcement as "Announcement". Written only when it changes (once per cast, never
   * for an announcement after another), one write at a time per card, in order. Never throws: a
   * title that could not be written leaves the card as it was, and the audio plays all the same.
   */
  async label(player: {id: string; name: string}, label: string): Promise<void> {
    const card = this.#cards.get(player.id);
    if (!card) return;
    const wanted = label.trim().slice(0, MAX_LABEL) || ANNOUNCEMENT;
    const pending = this.#labelling.get(player.id);
    if ((pending?.label ?? card.label ?? ANNOUNCEMENT) === wanted) return pending?.written;
    const written = (pending?.written ?? Promise.resolve()).then(() => this.#write(player, card, wanted));
    this.#labelling.set(player.id, {label: wanted, written});
    await written;
    if (this.#labelling.get(player.id)?.written === written) this.#labelling.delete(player.id);
  }

  async #write(player: {id: string; name: string}, card: RelayCard, label: string): Promise<void> {
    const url = this.#links.absolute(relayPath(player.id));
    if (!url || this.#cards.get(player.id) !== card) return;
    const title = label === ANNOUNCEMENT ? `Announcements · ${player.name}` : label;
    try {
      await this.#rest.createContent({...linearCard(title, [{title: label, url}]), cardId: card.cardId});
      const named: RelayCard = {...card, label};
      if (this.#cards.get(player.id) !== card) return;
      this.#cards.set(player.id, named);
      await this.#keyv?.set(player.id, named);
    } catch (err) {
      this.#log.warning(
        `The relay card of '${player.name}' could not be titled '${label}' (${errorMessage(err)}): it shows what it showed before`,
      );
    }
  }

  list(): RelayCard[] {
    return [...this.#cards.values()];
  }

  /** The player's relay card as the account has it now (made if missing). */
  async ensure(player: {id: string; name: string}, options: {recheck?: boolean} = {}): Promise<RelayCard> {
    const known = this.#cards.get(player.id);
    if (known && !options.recheck && Date.now() - (this.#checkedAt.get(player.id) ?? 0) < CHECKED_FOR_MS) return known;
    if (known && (await this.#onAccount(known))) {
      this.#checkedAt.set(player.id, Date.now());
      return known;
    }
    return this.#make(player);
  }

  async #onAccount(card: RelayCard): Promise<boolean> {
    try {
      await this.#rest.content(card.cardId);
      return true;
    } catch (err) {
      if (err instanceof YotoApiError && (err.status === 404 || err.status === 403)) {
        this.#log.info(`Relay card ${card.cardId} is no longer on the account: making it again`);
        return false;
      }
      throw err;
    }
  }

  async #make(player: {id: string; name: string}): Promise<RelayCard> {
    const url = this.#links.absolute(relayPath(player.id));
    if (!url)
      throw new AppError(
        "no_public_url",
        "Set 'public_url' first: announcements play through a card whose track streams from this service, so players need an address they can reach",
        {status: 409},
      );
    const title = `Announcements · ${player.name}`;
    const made = await this.#rest.createContent(linearCard(title, [{title: ANNOUNCEMENT, url}]));
    const card: RelayCard = {cardId: made.cardId, playerId: player.id, createdAt: new Date().toISOString()};
    try {
      await this.#keyv?.set(player.id, card);
    } catch (err) {
      // Unremembered, it would be made again next time: take it back and say why.
      await this.#rest
        .deleteContent(made.cardId)
        .catch((cleanup: unknown) =>
          this.#log.warning(
            `Relay card ${made.cardId} could not be saved here nor deleted there (${errorMessage(cleanup)}): delete it in the Yoto app`,
          ),
        );
      throw err;
    }
    this.#cards.set(player.id, card);
    this.#checkedAt.set(player.id, Date.now());
    this.#log.info(`Made relay card '${title}' (${card.cardId}) for announcements on '${player.name}'`);
    return card;
  }
}

/**
 * Start the relay card, titled as what it plays (`label`: a cast's title, else "Announcement"); a
 * card deleted from the account fails to start, so it is made again once.
 */
export async function startRelay(
  opts: {players: Pick<AnnouncerPlayers, "command">; relayCards: Pick<RelayCards, "ensure" | "label">},
  player: {id: string; name: string},
  cardId: string,
  admission: Admission,
  label = ANNOUNCEMENT,
): Promise<string> {
  await opts.relayCards.label(player, label);
  try {
    await opts.players.command(player.id, {command: "play_card", cardId}, admission);
    return cardId;
  } catch (first) {
    const again = await opts.relayCards.ensure(player, {recheck: true});
    if (again.cardId === cardId) throw first;
    await opts.players.command(player.id, {command: "play_card", cardId: again.cardId}, admission);
    return again.cardId;
  }
}
