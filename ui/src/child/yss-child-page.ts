import {
  mdiBookshelf,
  mdiCellphoneLinkOff,
  mdiCloudOffOutline,
  mdiLockOpenVariantOutline,
  mdiPowerPlugOffOutline,
} from "@mdi/js";
import {html, LitElement, nothing} from "lit";
import {customElement, state} from "lit/decorators.js";
import {mdi} from "../components/mdi.js";
import {ApiError, sendCredential} from "../data/http.js";
import {LiveEvents} from "../data/live.js";
import {
  askForMore,
  type ChildShelf,
  childInPath,
  childNames,
  control,
  deviceLink,
  getShelf,
  goToChild,
  keepDeviceLink,
  letGoOf,
  linkRevoked,
  lockedChild,
  playItem,
  rememberLetGo,
  rememberRevoked,
  type ShelfItem,
  sleepSound,
} from "./child-api.js";
import {changedChild, changedPlayer, drawn, linkGone, quietPlayer} from "./child-live.js";
import {childStyles} from "./child-styles.js";
import type {ChildControl} from "./yss-child-now.js";
import "./yss-child-now.js";
import "./yss-child-sleep.js";

/** Held this long, a cover says its title instead of playing. */
const HOLD_MS = 600;
/** Events come in bursts (a card starting changes the player several times): one reload after them. */
const RELOAD_AFTER_MS = 250;
/** An event that does not say what changed (an older service's, a mangled one): reloaded at most this often. */
const RELOAD_UNSAID_MS = 2000;
/** Also reloaded this often, for a page left open for days: nothing waits on an event alone. */
const RELOAD_EVERY_MS = 5 * 60_000;
/**
 * Events that reload the page whatever they carry (a parent choosing a picture among them: a tablet
 * left open shows it). A device link's tablet gets a player's only for its child's players, and a
 * stream's and a picture's without a payload (the service's deviceEvents.ts).
 */
const RELOADS = ["player.added", "player.removed", "stream.changed", "pictures.changed"] as const;
const LIVE = `api/events?only=${["family.changed", "player.changed", "quiet.changed", ...RELOADS].join(",")}`;
/** Said by the picture a tablet shows once its link is revoked (for the parent: the child has the picture). */
export const LINK_GONE = "This tablet's link was revoked. A parent makes a new one.";
/** Said once a parent unlocked the tablet with the PIN: it holds no link, and no parent is signed in on it. */
export const unlockedWords = (child: string) =>
  `Unlocked: this tablet no longer opens ${child}'s page. Open a new device link on it, or sign in as a parent.`;

/**
 * The child's page (`child/<name>`): the shelf as big covers, a tap plays one on the child's
 * player; what plays now at the bottom; at bedtime or with the day's listening used, sleep. Live:
 * the service's events reload it; it reconnects by itself after a restart. No text to read, no
 * text to type, no way to the parents' panel.
 */
@customElement("yss-child-page")
export class YssChildPage extends LitElement {
  @state() private _shelf?: ChildShelf;
  @state() private _names?: string[];
  @state() private _unreachable = false;
  @state() private _asked?: string;
  @state() private _asking = false;
  /** The tablet's link was revoked (or its child removed): the page stops, its credential forgotten. */
  @state() private _linkGone = false;
  /** The child whose link a parent let go of with the PIN, while nothing else opens the page. */
  @state() private _letGo?: string;
  readonly #child = childInPath(window.location.pathname);
  #live?: LiveEvents;
  #reloadTimer?: number;
  #blindTimer?: number;
  #everyTimer?: number;
  #holdTimer?: number;
  #held = false;
  #seen = "";
  /** Loads begun, and the number of the one whose answer is drawn. */
  #loads = 0;
  #drawn = 0;

  static override styles = childStyles;

  override connectedCallback(): void {
    super.connectedCallback();
    // Revoked before a reload: still the revoked picture, nothing asked (no credential is left to ask with).
    if (!deviceLink() && linkRevoked()) {
      this._linkGone = true;
      return;
    }
    void this.#load();
    // An EventSource sends no header: a device link's credential goes in the address, for the events alone.
    const device = deviceLink();
    this.#live = new LiveEvents(device ? `${LIVE}&device=${encodeURIComponent(device.token)}` : LIVE);
    for (const event of RELOADS) this.#live.on(event, () => this.#later());
    // A parent's Allow or Not tonight, a bedtime moved: the child's own day, applied at once. Another
    // child's day (their minutes ticking while they listen) is not this page's.
    this.#live.on("family.changed", (payload: unknown) => {
      const child = changedChild(payload);
      if (child === undefined) return this.#laterAtMost();
      if (!this._shelf || child.toLowerCase() === this._shelf.child.toLowerCase()) this.#later();
    });
    this.#live.on("player.changed", (payload: unknown) => this.#playerChanged(payload));
    // Quiet starting on the child's player sends the page to sleep; another player's is not this page's.
    this.#live.on("quiet.changed", (payload: unknown) => {
      const id = quietPlayer(payload);
      if (id === undefined) return this.#laterAtMost();
      if (!this._shelf?.player || id === this._shelf.player.id) this.#later();
    });
    this.#live.onResync(() => this.#later());
    // The stream ended: a fault, or the link revoked (the service ends a revoked link's stream). The
    // shelf asked again tells which; a fault is not drawn from this (the page keeps what it shows).
    this.#live.addEventListener("status", () => {
      if (this.#live?.status === "reconnecting" && deviceLink()) void this.#load(true);
    });
    this.#everyTimer = window.setInterval(() => void this.#load(), RELOAD_EVERY_MS);
    document.addEventListener("visibilitychange", this.#onVisible);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#live?.close();
    window.clearTimeout(this.#reloadTimer);
    window.clearTimeout(this.#blindTimer);
    window.clearInterval(this.#everyTimer);
    document.removeEventListener("visibilitychange", this.#onVisible);
  }

  readonly #onVisible = () => {
    if (document.visibilityState === "visible") this.#later();
  };

  #playerChanged(payload: unknown) {
    const player = changedPlayer(payload);
    if (!player) return this.#laterAtMost();
    // Position ticks every few seconds: only what the page draws is worth a reload.
    if (player.id === this._shelf?.player?.id) {
      if (player.drawn !== this.#seen) this.#later();
      return;
    }
    // A device link's events are its child's players only: another of them starting to play (a
    // remote resume, the Yoto app) is the player the page shows from now on.
    if (player.playing && deviceLink()) this.#later();
  }

  /** The link is revoked: nothing more is asked with it, and the tablet forgets it (a parent makes a new one). */
  #forgetLink() {
    keepDeviceLink(undefined);
    rememberRevoked(true);
    sendCredential(undefined);
    this.#live?.close();
    window.clearInterval(this.#everyTimer);
    window.clearTimeout(this.#reloadTimer);
    window.clearTimeout(this.#blindTimer);
    this._shelf = undefined;
    this._linkGone = true;
  }

  /**
   * Refused for want of a parent, on a tablet a parent unlocked with the PIN: it says it is unlocked
   * (the fault's cloud would say the service is down), and asks nothing more.
   */
  #letGoRefused(err: unknown): boolean {
    const child = letGoOf();
    if (child === undefined || deviceLink() || !(err instanceof ApiError) || (err.status !== 401 && err.status !== 403))
      return false;
    this.#live?.close();
    window.clearInterval(this.#everyTimer);
    window.clearTimeout(this.#reloadTimer);
    window.clearTimeout(this.#blindTimer);
    this._shelf = undefined;
    this._names = undefined;
    this._letGo = child;
    return true;
  }

  #later() {
    window.clearTimeout(this.#reloadTimer);
    this.#reloadTimer = window.setTimeout(() => void this.#load(), RELOAD_AFTER_MS);
  }

  /** A player changed, which one and how unsaid (a device link's events): one reload per while, not one a tick. */
  #laterAtMost() {
    if (this.#blindTimer !== undefined) return;
    this.#blindTimer = window.setTimeout(() => {
      this.#blindTimer = undefined;
      void this.#load();
    }, RELOAD_UNSAID_MS);
  }

  /** `probing`: asked because the live stream ended; only a revoked link is drawn from its answer. */
  async #load(probing = false) {
    // Loads overlap (an event's, the ask's own, the five-minute one) and may answer out of turn: an
    // answer older than the one drawn is dropped. Drawn, one from before the parent's Allow (asleep)
    // would stay until the next event.
    if (this._linkGone) return;
    const load = ++this.#loads;
    if (!this.#child) {
      this._names = await childNames().catch(() => []);
      return;
    }
    try {
      const shelf = await getShelf(this.#child);
      if (load < this.#drawn) return;
      this.#drawn = load;
      this._shelf = shelf;
      this._unreachable = false;
      // Opened now without the link (a parent signed in): the tablet is not "unlocked and shut" any more.
      if (letGoOf() !== undefined && !deviceLink()) rememberLetGo(undefined);
      const p = shelf.player;
      this.#seen = p ? drawn(p.online, p.status, p.card_id, p.volume, p.max_volume) : "";
    } catch (err) {
      if (load < this.#drawn) return;
      if (linkGone(err) && deviceLink()) return this.#forgetLink();
      if (this.#letGoRefused(err)) return;
      if (probing) return;
      this.#drawn = load;
      if (this.#otherChilds(err)) return;
      if (err instanceof ApiError && err.status === 404 && !lockedChild()) {
        this._names = await childNames().catch(() => []);
        this._shelf = undefined;
      } else {
        // A revoked device link: nothing of the shelf stays to tap.
        if (err instanceof ApiError && err.status === 401) this._shelf = undefined;
        this._unreachable = true;
      }
    }
  }

  /**
   * A device link new to this tablet, opened at another child's address: the refusal names the
   * link's own child, whose page the tablet keeps from now on. It goes there, quietly.
   */
  #otherChilds(err: unknown): boolean {
    const device = deviceLink();
    const own = err instanceof ApiError && err.code === "device_link_only" ? err.child : undefined;
    if (!device || own === undefined || own.toLowerCase() === this.#child?.toLowerCase()) return false;
    keepDeviceLink({token: device.token, child: own});
    goToChild(own);
    return true;
  }

  protected override updated(): void {
    // Asleep, off or unreachable, the page is one picture on one screen (no bar below it).
    const shelf = this._shelf;
    this.toggleAttribute("still", !shelf || Boolean(shelf.sleep) || !shelf.player?.online);
  }

  override render() {
    // Calm, and its own: not the fault's cloud. A parent reading it learns what to do; a child sees a picture.
    if (this._linkGone)
      return html`<section class="picture" role="img" aria-label=${LINK_GONE}>
        ${mdi(mdiCellphoneLinkOff, 180)}<p aria-hidden="true" style="font-size:20px;margin:0">${LINK_GONE}</p>
      </section>`;
    if (this._letGo !== undefined) {
      const words = unlockedWords(this._letGo);
      return html`<section class="picture" role="img" aria-label=${words}>
        ${mdi(mdiLockOpenVariantOutline, 180)}<p aria-hidden="true" style="font-size:20px;margin:0">${words}</p>
      </section>`;
    }
    if (this._names && !this._shelf) return this.#picker(this._names);
    const shelf = this._shelf;
    if (!shelf) return this._unreachable ? this.#picture(mdiCloudOffOutline, "The stories are not reachable") : nothing;
    const player = shelf.player;
    // Asleep, the page is the moon and the clock: no controls (quiet has paused the player already).
    if (shelf.sleep)
      return html`<yss-child-sleep .shelf=${shelf} ?asking=${this._asking} @ask-more=${this.#ask}
        @sleep-sound=${this.#sleepSound}></yss-child-sleep>`;
    if (!player?.online) return this.#picture(mdiPowerPlugOffOutline, "The Yoto is off");
    if (shelf.items.length === 0)
      return html`${this.#picture(mdiBookshelf, "Nothing on the shelf yet")}
      <yss-child-now .player=${player} @child-control=${this.#control}></yss-child-now>`;
    return html`${this._unreachable ? this.#banner() : nothing}
      <ul class="shelf" aria-label="${shelf.child}'s shelf">
        ${shelf.items.map((item) => this.#tile(item, shelf))}
      </ul>
      <yss-child-now .player=${player} @child-control=${this.#control}></yss-child-now>`;
  }

  #tile(item: ShelfItem, shelf: ChildShelf) {
    // Ringed while it plays; while paused, a broken ring (a tap on it goes on, a tap while it plays pauses it).
    const mine = shelf.player?.item === item.id;
    const playing = mine && shelf.player?.status === "playing";
    const paused = mine && shelf.player?.status === "paused";
    return html`<li>
      <button class="tile ${this._asked === item.id ? "asked" : ""} ${paused ? "paused" : ""}"
        aria-label=${item.title} aria-pressed=${playing ? "true" : "false"}
        ?disabled=${!shelf.playable}
        @pointerdown=${() => this.#hold(item)} @pointerup=${this.#release} @pointerleave=${this.#release}
        @pointercancel=${this.#release} @contextmenu=${(e: Event) => e.preventDefault()}
        @click=${() => this.#tap(item)}>
        <img src=${item.cover} alt=${item.title} width="240" height="240" draggable="false" />
      </button>
    </li>`;
  }

  #picture(icon: string, label: string) {
    return html`<section class="picture" role="img" aria-label=${label}>${mdi(icon, 180)}</section>`;
  }

  #banner() {
    return html`<div role="img" aria-label="The stories are not reachable" style="text-align:center">${mdi(mdiCloudOffOutline, 48)}</div>`;
  }

  #picker(names: string[]) {
    return html`<section class="picture" aria-label="Whose stories?">
      <ul class="names">
        ${names.map(
          (name) => html`<li><a class="round face" href="child/${encodeURIComponent(name)}" aria-label=${name}
            style="text-decoration:none;color:inherit">${[...name][0]?.toUpperCase() ?? "?"}</a></li>`,
        )}
      </ul>
    </section>`;
  }

  #hold(item: ShelfItem) {
    this.#held = false;
    window.clearTimeout(this.#holdTimer);
    this.#holdTimer = window.setTimeout(() => {
      this.#held = true;
      speak(item.title);
    }, HOLD_MS);
  }

  readonly #release = () => window.clearTimeout(this.#holdTimer);

  async #tap(item: ShelfItem) {
    // A held cover said its title; a tap while one is on its way is not sent again.
    if (this.#held || this._asked || !this.#child) {
      this.#held = false;
      return;
    }
    this._asked = item.id;
    try {
      await playItem(this.#child, item.id);
    } catch (err) {
      if (linkGone(err) && deviceLink()) this.#forgetLink();
      else this._unreachable = true;
    } finally {
      this._asked = undefined;
      this.#later();
    }
  }

  readonly #control = async (e: CustomEvent<ChildControl>) => {
    if (!this.#child) return;
    await control(this.#child, e.detail).catch(() => undefined);
    this.#later();
  };

  readonly #ask = () => this.#press(askForMore);
  readonly #sleepSound = () => this.#press(sleepSound);

  /** One of the sleeping page's two presses (one more story, the moon's sleep sound), then the page again. */
  async #press(send: (child: string) => Promise<unknown>): Promise<void> {
    if (!this.#child || this._asking) return;
    this._asking = true;
    try {
      await send(this.#child);
      await this.#load();
    } catch (err) {
      if (linkGone(err) && deviceLink()) this.#forgetLink();
      else this._unreachable = true;
    } finally {
      this._asking = false;
    }
  }
}

/** The title said aloud, in the page's language, where the browser can speak. */
function speak(title: string) {
  const synth = window.speechSynthesis;
  if (!synth) return;
  synth.cancel();
  synth.speak(new SpeechSynthesisUtterance(title));
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-child-page": YssChildPage;
  }
}
