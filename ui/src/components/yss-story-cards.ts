import {css, html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {Action} from "../controllers/action.js";
import {getIcons, type IconEntry} from "../data/library.js";
import {makeStoryCard, remakeCard, type StoryCardState, type StoryView, setStoryIcon} from "../data/stories.js";
import {panelStyles} from "../styles.js";
import {storyModeLabel} from "./labels.js";
import "./yss-alert.js";
import "./yss-icon-picker.js";

/** "21:04": when a failed rewrite is tried again, on this device's clock. */
const CLOCK = new Intl.DateTimeFormat(undefined, {hour: "2-digit", minute: "2-digit", hour12: false});
export const retryTime = (iso: string) => CLOCK.format(new Date(iso));

/**
 * Icons by reference, for showing the one chosen: those picked here, else the account's list asked
 * once (a story's icon chosen on another day, or in another tab).
 */
const knownIcons = new Map<string, IconEntry>();
let iconList: Promise<void> | undefined;
function iconOf(ref: string, loaded: () => void): IconEntry | undefined {
  if (!knownIcons.has(ref) && !iconList) {
    iconList = getIcons("").then(
      (lists) => {
        for (const icon of [...lists.user, ...lists.public]) knownIcons.set(icon.ref, icon);
      },
      // Without the list the icon is named without its picture (until the page is loaded again).
      () => {},
    );
    void iconList.then(loaded);
  }
  return knownIcons.get(ref);
}

/**
 * A story's cards: each one's title and mode, whether it plays the story as it is now (and if not,
 * what changed, or why its rewrite failed and when it is tried again), **Make again**; **Make card**
 * when it has none; and the icon its cards show, picked from the Yoto's 16×16 icons.
 *
 * @fires story-changed - `{story?}`: the service changed the story's cards (the new view when it
 *   answered one), so the list can show it
 */
@customElement("yss-story-cards")
export class YssStoryCards extends LitElement {
  @property({attribute: false}) story!: StoryView;

  @state() private _picking = false;
  private _action = new Action(this);

  static override styles = [
    panelStyles,
    css`
      :host {
        display: block;
      }
      ul.cards {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      ul.cards > li {
        padding: 8px 0;
        border-bottom: 1px solid var(--yss-divider);
        overflow-wrap: anywhere;
      }
      .state {
        font-weight: 500;
      }
      .state.ok {
        color: var(--yss-success);
      }
      .state.stale {
        color: var(--yss-warning);
      }
      .state.failed {
        color: var(--yss-error);
      }
      .changes {
        margin: 2px 0 4px;
        padding-left: 20px;
      }
      .icon img {
        width: 32px;
        height: 32px;
        image-rendering: pixelated;
        vertical-align: middle;
      }
    `,
  ];

  override render() {
    const {story} = this;
    return html`<h3>Cards</h3>
      ${
        story.cardStates.length === 0
          ? html`<div class="row"><span class="small muted">No card yet.</span>
            <button class="primary" @click=${this._onMake}>Make card</button></div>`
          : html`<ul class="cards" aria-label="Cards of ${story.title}">${story.cardStates.map((c) => this._renderCard(c))}</ul>`
      }
      ${this._renderIcon(story)}
      ${this._action.busy ? html`<p class="small" role="status">Writing the card…</p>` : nothing}
      <yss-alert .message=${this._action.error}></yss-alert>`;
  }

  private _renderCard(card: StoryCardState) {
    return html`<li data-card=${card.cardId}>
      <div class="row">
        <strong>${card.title}</strong><span class="small muted">${storyModeLabel(card.mode)}</span>
        ${this._renderState(card)}
        <button aria-label="Make again: ${card.title}" @click=${() => this._onRemake(card)}>Make again</button>
      </div>
      ${
        card.changes.length > 0
          ? html`<ul class="changes small" aria-label="What changed on ${card.title}">
            ${card.changes.map((change) => html`<li>${change}</li>`)}</ul>`
          : nothing
      }
      ${
        card.error
          ? html`<p class="small" data-testid="rewrite-error">Could not be rewritten: ${card.error}${
              card.retryAt ? html` — tried again at ${retryTime(card.retryAt)}` : nothing
            }</p>`
          : nothing
      }
    </li>`;
  }

  private _renderState(card: StoryCardState) {
    if (card.upToDate) return html`<span class="state ok small" data-testid="card-state">Up to date</span>`;
    return html`<span class="state ${card.error ? "failed" : "stale"} small" data-testid="card-state">Out of date</span>`;
  }

  private _renderIcon(story: StoryView) {
    const chosen = story.cardIcon ? iconOf(story.cardIcon, () => this.requestUpdate()) : undefined;
    return html`<div class="row icon" style="margin-top: 8px">
        <span class="small" data-testid="card-icon">Icon: ${
          story.cardIcon
            ? html`${chosen?.url ? html`<img src=${chosen.url} alt="" />` : nothing} ${chosen?.title ?? "chosen here"}`
            : "the story's own"
        }</span>
        <button aria-expanded=${this._picking ? "true" : "false"} @click=${() => (this._picking = !this._picking)}>
          ${this._picking ? "Close icons" : "Choose icon"}</button>
        ${story.cardIcon ? html`<button @click=${() => this._setIcon(null)}>Use the story's own</button>` : nothing}
      </div>
      ${
        this._picking
          ? html`<yss-icon-picker .value=${story.cardIcon}
              @icon-picked=${(e: HTMLElementEventMap["icon-picked"]) => this._onPicked(e)}></yss-icon-picker>`
          : nothing
      }`;
  }

  private _onMake = () =>
    this._action.run(async () => {
      await makeStoryCard(this.story.id);
      this._changed();
    });

  private _onRemake(card: StoryCardState) {
    return this._action.run(async () => {
      await remakeCard(card.cardId);
      this._changed();
    });
  }

  private _onPicked(e: HTMLElementEventMap["icon-picked"]) {
    // The picker's own event: the view above has no use for it.
    e.stopPropagation();
    knownIcons.set(e.detail.icon.ref, e.detail.icon);
    void this._setIcon(e.detail.icon.ref);
  }

  private _setIcon(icon: string | null) {
    return this._action.run(async () => {
      const story = await setStoryIcon(this.story.id, icon);
      this._picking = false;
      this._changed(story);
    });
  }

  private _changed(story?: StoryView) {
    this.dispatchEvent(new CustomEvent("story-changed", {detail: {story}, bubbles: true, composed: true}));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-story-cards": YssStoryCards;
  }
  interface HTMLElementEventMap {
    "story-changed": CustomEvent<{story?: StoryView}>;
  }
}
