import {mdiFileImportOutline} from "@mdi/js";
import {css, html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {ApiError} from "../data/http.js";
import {importStory, type StoryCardRewrite, type StoryImported, type StoryView} from "../data/stories.js";
import {panelStyles} from "../styles.js";
import {messageOf} from "./format.js";
import {mdi} from "./mdi.js";
import "./yss-alert.js";
import {retryTime} from "./yss-story-cards.js";

/** What the service reads: Twee, Twine 2's published HTML, ink source or ink's compiled JSON. */
const STORY_FILES = ".twee,.tw,.html,.htm,.ink,.json";

/**
 * Import a story written in Twine or ink: choose its file, and see what the service made of it —
 * the story's id and scenes, and every warning about what it could not keep. A story imported
 * before is replaced only when asked.
 *
 * Warnings and titles come from the author's file and may hold markup: they are only ever bound
 * as text.
 *
 * @fires imported - `{story}` (the service's answer) after each import, so the list can show it
 */
@customElement("yss-story-import")
export class YssStoryImport extends LitElement {
  /** The stories as listed: a failed card rewrite's retry time is in its story's card states. */
  @property({attribute: false}) stories?: StoryView[];
  @state() private _busy?: string;
  @state() private _error?: string;
  @state() private _done?: StoryImported;
  /** A file whose story exists already: kept until the user replaces it or picks another. */
  @state() private _conflict?: File;

  static override styles = [
    panelStyles,
    css`
      :host {
        display: block;
        margin-bottom: 12px;
      }
      .warnings {
        margin: 4px 0 0;
        padding-left: 20px;
        overflow-wrap: anywhere;
      }
      .warnings li + li {
        margin-top: 4px;
      }
    `,
  ];

  override render() {
    return html`<section class="card" aria-label="Import a story">
      <div class="row">
        <label class="button">${mdi(mdiFileImportOutline, 20)} Import story<input type="file"
          accept=${STORY_FILES} ?disabled=${Boolean(this._busy)} @change=${this._onPick} /></label>
        <span class="small muted">Twine (.twee, published .html) or ink (.ink, compiled .json)</span>
      </div>
      ${this._busy ? html`<p class="small" role="status">Importing ${this._busy}…</p>` : nothing}
      <yss-alert .message=${this._error}>${
        this._conflict
          ? html`<button class="primary" @click=${() => this._import(this._conflict as File, true)}>Replace</button>`
          : nothing
      }</yss-alert>
      ${this._done ? this._renderDone(this._done) : nothing}
    </section>`;
  }

  private _renderDone(done: StoryImported) {
    const scenes = done.scenes.length === 1 ? "1 scene" : `${done.scenes.length} scenes`;
    return html`<div data-testid="imported">
      <yss-alert type="success" .message=${`Imported “${done.title}”: ${scenes}, starting at “${done.startTitle}”`}></yss-alert>
      ${
        done.cards.length === 0
          ? nothing
          : html`<ul class="warnings small" aria-label="The story's cards">
            ${done.cards.map((card) => html`<li data-card=${card.cardId}>${this._cardLine(done.id, card)}</li>`)}
          </ul>`
      }
      ${
        done.warnings.length === 0
          ? nothing
          : html`<p class="small">What the import could not keep:</p>
            <ul class="warnings small" aria-label="Import warnings">
              ${done.warnings.map((w) => html`<li>${w}</li>`)}
            </ul>`
      }
    </div>`;
  }

  /** What the import did to one of the story's cards, with when a failed rewrite is tried again. */
  private _cardLine(story: string, card: StoryCardRewrite): string {
    const name = `Card “${card.title}”`;
    if (card.result === "unchanged") return `${name} was already up to date`;
    if (card.result === "rewritten")
      return card.changes.length > 0 ? `${name} rewritten: ${card.changes.join(", ")}` : `${name} rewritten`;
    const retryAt = this.stories
      ?.find((s) => s.id === story)
      ?.cardStates.find((c) => c.cardId === card.cardId)?.retryAt;
    return `${name} could not be rewritten: ${card.error ?? "no reason given"}${retryAt ? ` — tried again at ${retryTime(retryAt)}` : ""}`;
  }

  private _onPick(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared so that picking the same file again (after fixing it) imports it again.
    input.value = "";
    if (file) void this._import(file, false);
  }

  private async _import(file: File, replace: boolean) {
    this._busy = file.name;
    this._error = undefined;
    this._conflict = undefined;
    this._done = undefined;
    try {
      this._done = await importStory(file, replace);
      this.dispatchEvent(new CustomEvent("imported", {detail: {story: this._done}, bubbles: true, composed: true}));
    } catch (err) {
      // The service's sentence says what was wrong in the file and how to fix it: shown as it came.
      this._error = messageOf(err);
      if (err instanceof ApiError && err.code === "story_exists") this._conflict = file;
    } finally {
      this._busy = undefined;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-story-import": YssStoryImport;
  }
}
