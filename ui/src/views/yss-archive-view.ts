import {css, html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {ago} from "../components/format.js";
import {renderResource} from "../components/resource-view.js";
import {archivedFacts} from "../components/yss-archive-card.js";
import "../components/yss-archive-run.js";
import {type ArchivedCardSummary, type ArchiveOverview, type ArchiveRun, getArchive} from "../data/archive.js";
import type {LiveEvents} from "../data/live.js";
import {LiveResource} from "../data/resource.js";
import {panelStyles} from "../styles.js";

/**
 * The family's own cards, archived at home: the run (now, nightly, its progress and what it found
 * changed), the archived cards, and one card opened to hear, restore or play from the archive.
 */
@customElement("yss-archive-view")
export class YssArchiveView extends LitElement {
  @property({attribute: false}) live?: LiveEvents;

  @state() private _selected?: string;
  /** Bumped when a run changed the open card, so it is read again. */
  @state() private _revision = 0;

  private _overview = new LiveResource(this, {
    load: getArchive,
    live: () => this.live,
    reloadOn: ["archive.changed"],
    patch: {
      // Progress is drawn as it comes; the finished run is read back with the cards it changed.
      "archive.progress": (o, run) => (run.state === "running" ? {...o, running: run} : "reload"),
    },
  });
  #offChanged?: () => void;

  static override styles = [
    panelStyles,
    css`
      yss-archive-run {
        display: block;
        margin-bottom: 12px;
      }
      .split {
        --yss-split: minmax(0, 1fr) minmax(0, 1.2fr);
      }
      .split > * {
        min-width: 0;
      }
      ul button {
        width: 100%;
        display: block;
        text-align: left;
        color: var(--yss-text);
        font-weight: 400;
        border-radius: 8px;
        margin-bottom: 6px;
        padding: 8px 12px;
      }
      ul button[aria-current="true"] {
        background: color-mix(in srgb, var(--yss-primary) 18%, transparent);
      }
      .title {
        display: block;
        font-weight: 500;
        overflow-wrap: anywhere;
      }
      .facts {
        display: block;
      }
      .chip {
        margin-top: 2px;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.#offChanged = this.live?.on("archive.changed", ({cardIds}) => {
      if (this._selected && cardIds.includes(this._selected)) this._revision++;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#offChanged?.();
  }

  override render() {
    return renderResource(this._overview, (o) => this._renderArchive(o));
  }

  private _renderArchive(o: ArchiveOverview) {
    const selected = o.cards.find((c) => c.cardId === this._selected);
    return html`<yss-archive-run .overview=${o} @run-started=${this._onRunStarted}></yss-archive-run>
      <div class="split">
        <section class="card" aria-labelledby="cards-title">
          <h2 id="cards-title">Archived cards</h2>
          ${
            o.cards.length
              ? html`<ul class="plain" aria-label="Archived cards" data-testid="archive-cards">
                  ${o.cards.map((c) => this._renderCard(c, c === selected))}
                </ul>`
              : html`<p class="muted">Nothing archived yet: "Archive now" copies the family's own cards here.</p>`
          }
        </section>
        ${
          selected
            ? html`<yss-archive-card .cardId=${selected.cardId} .revision=${this._revision} .live=${this.live}></yss-archive-card>`
            : o.cards.length
              ? html`<div class="card muted">Choose a card to see its chapters, hear it, restore it or play it from the archive.</div>`
              : nothing
        }
      </div>`;
  }

  private _renderCard(c: ArchivedCardSummary, current: boolean) {
    return html`<li>
      <button aria-current=${current ? "true" : "false"} data-card=${c.cardId} @click=${() => this._select(c.cardId)}>
        <span class="title">${c.title}</span>
        <span class="small muted facts">Archived ${ago(c.archivedAt)} · ${archivedFacts(c)}</span>
        ${c.deletedAt ? html`<span class="chip bad">Deleted at Yoto on ${new Date(c.deletedAt).toLocaleDateString()}</span>` : nothing}
        ${c.lastChange?.summary ? html`<span class="small facts">Last change: ${c.lastChange.summary}</span>` : nothing}
      </button>
    </li>`;
  }

  /** On a phone the card opens below the list: it is brought into sight. */
  private async _select(cardId: string) {
    this._selected = cardId;
    await this.updateComplete;
    if (window.matchMedia("(max-width: 720px)").matches)
      this.renderRoot.querySelector("yss-archive-card")?.scrollIntoView({block: "start", behavior: "smooth"});
  }

  private _onRunStarted = (e: CustomEvent<ArchiveRun | undefined>) => {
    const o = this._overview.value;
    // Drawn at once; the progress events follow (and a refused start reads the run under way).
    if (o && e.detail) this._overview.set({...o, running: e.detail});
    else this._overview.reload();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-archive-view": YssArchiveView;
  }
}
