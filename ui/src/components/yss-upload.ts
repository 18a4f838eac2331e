import {mdiUpload} from "@mdi/js";
import {css, html, LitElement, nothing} from "lit";
import {customElement, state} from "lit/decorators.js";
import {type LibraryItemView, uploadAudio} from "../data/library.js";
import {panelStyles} from "../styles.js";
import {messageOf} from "./format.js";
import {mdi} from "./mdi.js";
import "./yss-alert.js";

/**
 * Add audio files: choose or drop them. Each uploads in turn with a progress bar; the service
 * checks and normalises it, then it is in the library.
 *
 * @fires uploaded - `{item}` for each file the library took
 */
@customElement("yss-upload")
export class YssUpload extends LitElement {
  @state() private _file?: string;
  @state() private _progress = 0;
  @state() private _processing = false;
  @state() private _error?: string;
  @state() private _done?: string;
  @state() private _over = false;

  static override styles = [
    panelStyles,
    css`
      .drop {
        border: 2px dashed var(--yss-divider);
        border-radius: var(--yss-radius);
        padding: 12px;
        text-align: center;
        display: grid;
        justify-items: center;
        gap: 6px;
      }
      .primary-outline {
        border-color: var(--yss-primary);
      }
      .drop.over {
        border-color: var(--yss-primary);
      }
      progress {
        width: 100%;
        accent-color: var(--yss-primary);
      }
    `,
  ];

  override render() {
    return html`<div class="drop ${this._over ? "over" : ""}" @dragover=${this._onDragOver}
        @dragleave=${() => (this._over = false)} @drop=${this._onDrop}>
        <label class="button primary-outline">${mdi(mdiUpload, 20)} Upload audio<input type="file" accept="audio/*"
          multiple ?disabled=${Boolean(this._file)} @change=${this._onPick} /></label>
        <div class="small muted">or drop files here · MP3, M4A, OGG, FLAC, WAV…</div>
      </div>
      ${
        this._file
          ? html`<div role="status">
            <div class="small">${this._processing ? `Checking and normalising ${this._file}…` : `Uploading ${this._file}`}</div>
            <progress aria-label="Upload progress" max="100" value=${Math.round(this._progress * 100)}></progress>
          </div>`
          : nothing
      }
      <yss-alert .message=${this._error}></yss-alert>
      <yss-alert type="success" .message=${this._done}></yss-alert>`;
  }

  private _onPick(e: Event) {
    const input = e.target as HTMLInputElement;
    void this._uploadAll([...(input.files ?? [])]).finally(() => {
      input.value = "";
    });
  }

  private _onDragOver(e: DragEvent) {
    if (!e.dataTransfer?.types.includes("Files")) return;
    e.preventDefault();
    this._over = true;
  }

  private _onDrop(e: DragEvent) {
    e.preventDefault();
    this._over = false;
    void this._uploadAll([...(e.dataTransfer?.files ?? [])]);
  }

  private async _uploadAll(files: File[]) {
    if (this._file) {
      this._error = "Wait for the current upload to finish, then add more.";
      return;
    }
    this._error = undefined;
    this._done = undefined;
    for (const file of files) {
      this._file = file.name;
      this._progress = 0;
      this._processing = false;
      try {
        const item: LibraryItemView = await uploadAudio(file, (fraction) => {
          this._progress = fraction;
          // Sent in full: the service is now checking and re-encoding it.
          if (fraction >= 1) this._processing = true;
        });
        this._done = `Added '${item.title}'`;
        this.dispatchEvent(new CustomEvent("uploaded", {detail: {item}, bubbles: true, composed: true}));
      } catch (err) {
        this._error = `${file.name}: ${messageOf(err)}`;
      }
    }
    this._file = undefined;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-upload": YssUpload;
  }
}
