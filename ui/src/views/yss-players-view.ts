import {html, LitElement} from "lit";
import {customElement, property} from "lit/decorators.js";
import type {FamilyCard} from "../../../src/shared/api/index.js";
import {childListeningOn} from "../components/family-budget.js";
import {renderResource} from "../components/resource-view.js";
import "../components/yss-player-card.js";
import {followChildren} from "../data/family-live.js";
import type {LiveEvents} from "../data/live.js";
import {getFamilyCards, getPlayers, getQuietHours, getVirtualPlayers, type PlayerState} from "../data/players.js";
import {LiveResource} from "../data/resource.js";
import {panelStyles} from "../styles.js";

/** One empty list for every render: a new one each time would redraw every card for nothing. */
const NO_CARDS: FamilyCard[] = [];

/** Every player on the account, live: state, controls and, in the demo, the player's own buttons. */
@customElement("yss-players-view")
export class YssPlayersView extends LitElement {
  /** The panel's live events. */
  @property({attribute: false}) live?: LiveEvents;

  private _players = new LiveResource(this, {
    load: getPlayers,
    live: () => this.live,
    // A station's song changes, or it goes down or comes back: the radio cards' songs come with the list.
    reloadOn: [
      "player.added",
      "player.removed",
      "account.changed",
      "radio.songChanged",
      "radio.stateChanged",
      "upnp.castTitleChanged",
    ],
    patch: {
      "player.changed": (list, {player}) => {
        // A card starting, or starting to play, may be a station already known to play a song: the
        // song comes with the list, so it is asked again. The order of the two is the network's.
        const before = list.players.find((p) => p.id === player.id)?.playback;
        if (before && startsPlaying(before, player.playback)) return "reload";
        // A player casting is listed in the cast's words: the event's own are the relay card's
        // ("Announcement", no length), so the list is asked again rather than patched with them.
        if (list.playing?.[player.id]?.kind === "cast") return "reload";
        return {...list, players: list.players.map((p) => (p.id === player.id ? player : p))};
      },
      "cloud.stateChanged": (list, {state}) => ({...list, cloud: state}),
    },
  });

  /** The demo's players with hands: their buttons are a card's controls, so they come with the players. */
  private _virtual = new LiveResource(this, {load: getVirtualPlayers, live: () => this.live});

  // What the cards show beside each player comes once the players are on screen: five requests
  // and five answers at page load took the first paint about 10 ms longer (#38).

  /** Every player's quiet hours in one request, for the cards' chips. */
  private _quiet = new LiveResource(this, {
    load: getQuietHours,
    live: () => this.live,
    afterPaint: true,
    reloadOn: ["quiet.changed"],
    // Quiet hours start and end by changing the max volumes: without live events, that says when to look.
    patch: {"player.changed": (value, {changed}) => (changed.includes("settings") ? "reload" : value)},
  });

  private _cards = new LiveResource(this, {
    // Unlinked, there are no cards to offer; the players list says why.
    load: () => getFamilyCards().catch(() => ({cards: []})),
    live: () => this.live,
    afterPaint: true,
    reloadOn: ["account.changed"],
  });

  /** The family plan's children: whose minutes each player's listening counts against, on its card. */
  private _children = followChildren(this, () => this.live, {afterPaint: true});

  /** The last button each player's story saw, as a line under the player. */
  private _lastMoves = new Map<string, string>();
  private _offMoves?: () => void;

  static override styles = panelStyles;

  override connectedCallback(): void {
    super.connectedCallback();
    this._offMoves = this.live?.on("story.sceneEntered", (e) => {
      const how = e.button ? `${e.button === "end" ? "track ended" : `${e.button} pressed`}: ` : "";
      this._lastMoves.set(e.playerId, `${how}${e.from ? `${e.from} → ` : ""}${e.scene} (${e.story})`);
      this.requestUpdate();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._offMoves?.();
  }

  override render() {
    return renderResource(this._players, ({players, cloud, mediaPlayerNames, songs, playing}) => {
      if (players.length === 0)
        return html`<p class="muted">
          No players yet${cloud === "connected" ? "." : ": link your Yoto account in the Account tab."}
        </p>`;
      const virtual = new Set(this._virtual.value?.players.map((p) => p.id));
      return html`<div class="grid">
        ${players.map(
          (p: PlayerState) =>
            html`<yss-player-card
              data-player=${p.id}
              .player=${p}
              .cards=${this._cards.value?.cards ?? NO_CARDS}
              .virtual=${virtual.has(p.id)}
              .lastMove=${this._lastMoves.get(p.id)}
              .quiet=${this._quiet.value?.quiet.find((q) => q.playerId === p.id)}
              .child=${childListeningOn(this._children.value?.children, p.id)}
              .timeZone=${this._children.value?.timeZone}
              .mediaPlayerName=${mediaPlayerNames?.[p.id]}
              .song=${songs?.[p.id]}
              .playing=${playing?.[p.id]}
              @quiet-ended=${() => this._quiet.reload()}
            ></yss-player-card>`,
        )}
      </div>`;
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-players-view": YssPlayersView;
  }
}

type Playback = PlayerState["playback"];

/** Whether a player goes on to play a card it did not play a moment ago: the moment a song can start showing. */
function startsPlaying(before: Playback, after: Playback): boolean {
  const heard = (p: Playback) => p.cardId !== null && (p.status === "playing" || p.status === "loading");
  return heard(after) && (!heard(before) || before.cardId !== after.cardId);
}
