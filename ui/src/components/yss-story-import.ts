import {mdiFileImportOutline} from "@mdi/js";
import {css, html, LitElement, nothing} from "lit";
import {customElement, state} from "lit/decorators.js";
import {ApiError} from "../data/http.js";
import {importStory, type StoryImported} from "../data/stories.js";
import {panelStyles} from "../styles.js";
import {messageOf} from "./format.js";
import {mdi} from "./mdi.js";
import "./yss-alert.js";

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
      <yss-alert type="success" .message=${`Imported '${done.id}': ${scenes}, starting at '${done.start}'`}></yss-alert>
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
