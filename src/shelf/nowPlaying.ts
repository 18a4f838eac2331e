import type {ChildView} from "../family/types.js";
import type {ShelfAsk, ShelfPlayer} from "../shared/api/shelf.js";
import type {PlayerState} from "../yoto/playerModel.js";
import type {ResolvedItem} from "./shelfItems.js";

const MAX_PLAYERS = 200;

/**
 * What the child's player is doing, as the page draws it: the shelf item it plays, found by the
 * card's id, by a stream's card (it bears the stream's name), or by the tap that started it (a
 * library item or a story plays on a card of its own, which shows that item until another comes).
 */
export class NowPlaying {
  /** Per player, the shelf item a tap last played, and the card in it before. */
  readonly #tapped = new Map<string, {item: string; before: string | null; at: number; card?: string}>();

  constructor(readonly now: () => number) {}

  tapped(playerId: string, item: string, before: string | null): void {
    if (this.#tapped.size >= MAX_PLAYERS) this.#tapped.clear();
    this.#tapped.set(playerId, {item, before, at: this.now()});
  }

  of(player: PlayerState, items: readonly ResolvedItem[]): ShelfPlayer {
    const cardId = player.playback.cardId;
    // A card on the shelf by its id; a stream by the card made for it, which bears the stream's name.
    const chapter = player.playback.chapterTitle;
    const tap = this.#tapped.get(player.id);
    // The same card as before the tap (one relay card for every library item) is the item's once it has had time to start.
    if (tap && !tap.card && cardId && (cardId !== tap.before || this.now() - tap.at > 3000)) tap.card = cardId;
    const item = cardId
      ? (items.find((i) => i.play.kind === "card" && i.play.id === cardId) ??
        items.find((i) => i.play.kind !== "card" && i.play.id === chapter) ??
        (tap?.card === cardId ? items.find((i) => i.id === tap.item) : undefined))
      : undefined;
    const playing = player.playback.status === "playing" || player.playback.status === "paused";
    return {
      id: player.id,
      name: player.name,
      online: player.online,
      status: player.playback.status,
      title: playing ? (item?.title ?? player.playback.chapterTitle ?? null) : null,
      cover: playing && item ? item.cover : null,
      item: playing && item ? item.id : null,
      card_id: cardId,
      can_next: playing && Boolean(cardId),
      volume: player.volume.level ?? null,
      max_volume: player.volume.max ?? 16,
    };
  }
}

/** The page's "one more story": waiting while a request waits; the last answer today, else none. */
export function askState(view: ChildView): ShelfAsk {
  const left = view.bonuses_left;
  if (view.request) return {state: "waiting", left};
  // The last answer to a request today (the bonus that Allow grants is written after it).
  const answers = ["request", "allowed", "not_tonight", "expired"];
  const last = [...view.journal].reverse().find((e) => answers.includes(e.what));
  if (last?.what === "not_tonight") return {state: "not_tonight", left};
  if (view.bonus && last?.what === "allowed") return {state: "allowed", left};
  return {state: left <= 0 ? "cap" : "none", left};
}
