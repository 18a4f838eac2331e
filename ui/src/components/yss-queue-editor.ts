import {mdiClose, mdiDragVertical, mdiEyeOffOutline} from "@mdi/js";
import {css, html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {repeat} from "lit/directives/repeat.js";
import type {StreamView} from "../data/streams.js";
import {panelStyles} from "../styles.js";
import {duration} from "./format.js";
import {mdi} from "./mdi.js";

type QueueItem = StreamView["items"][number];

export interface QueueMove {
  from: number;
  to: number;
}

/**
 * A stream's queue in order. Reorder by dragging a row (mouse, pen or finger on the handle), or
 * with the keyboard: focus a row's handle and press ↑/↓ (Home/End to the ends). The editor only asks; the parent changes the queue and
 * hands back the new order.
 *
 * @fires queue-move - `{from, to}`: move one item
 * @fires queue-remove - `{index}`: take one item out (a feed's episode: hide it)
 */
@customElement("yss-queue-editor")
export class YssQueueEditor extends LitElement {
  @property({attribute: false}) items: QueueItem[] = [];
  /** A feed stream's episodes: taking one out hides it from later refreshes, and the row says so. */
  @property({attribute: false}) episodes: ReadonlySet<string> = new Set();

  @state() private _dragFrom?: number;
  @state() private _dropAt?: number;
  /** How far the dragged row has moved from where it was picked up, in px. */
  @state() private _dragDy = 0;
  /** The last move in words, for screen readers (a polite live region). */
  @state() private _said = "";
  /** After a keyboard move the moved item keeps the focus. */
  private _focusIndex?: number;
  /** The pointer holding a row, and the rows' places when it was picked up. */
  #drag?: {from: number; pointerId: number; startY: number; moved: boolean; rows: Array<{top: number; bottom: number}>};

  static override styles = [
    panelStyles,
    css`
      li {
        display: flex;
        align-items: center;
        gap: 8px;
        padding: 4px 4px;
        border-radius: 8px;
        border: 1px solid transparent;
        background: var(--ha-card-background, var(--yss-card));
        user-select: none;
        -webkit-user-select: none;
      }
      li.dragging {
        position: relative;
        z-index: 1;
        box-shadow: 0 4px 12px rgba(0, 0, 0, 0.25);
        border-color: var(--yss-divider);
      }
      li.drop-before {
        border-top: 2px solid var(--yss-primary);
      }
      li.drop-after {
        border-bottom: 2px solid var(--yss-primary);
      }
      .handle {
        cursor: grab;
        min-width: 40px;
        border: none;
        border-radius: 8px;
        color: var(--yss-muted);
        /* A finger on the handle drags the row; anywhere else on the row it scrolls the page. */
        touch-action: none;
      }
      .title {
        flex: 1;
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .missing {
        color: var(--yss-error);
      }
      button.icon {
        border: none;
        color: var(--yss-muted);
      }
    `,
  ];

  override render() {
    if (this.items.length === 0)
      return html`<p class="muted">The queue is empty: add tracks from the library below.</p>`;
    const from = this._dragFrom;
    const to = this._dropAt;
    return html`<p id="hint" class="visually-hidden">Drag a track by its handle, or use the arrow keys on the handle to move it.</p>
      <p class="visually-hidden" role="status" aria-live="polite">${this._said}</p>
      <ol class="plain" aria-label="Queue">
        ${repeat(
          this.items,
          (_item, index) => index,
          (item, index) => html`<li
            data-index=${index}
            class="${from === index ? "dragging" : ""} ${from !== undefined && to === index && to !== from ? (to < from ? "drop-before" : "drop-after") : ""}"
            style=${from === index ? `transform: translateY(${this._dragDy}px)` : ""}
            @pointerdown=${(e: PointerEvent) => this._onPointerDown(e, index)}
            @pointermove=${this._onPointerMove}
            @pointerup=${this._onPointerUp}
            @pointercancel=${this._onPointerCancel}
          >
            <button class="handle" aria-describedby="hint" aria-label="Move ${item.title ?? item.id}, position ${index + 1} of ${this.items.length}"
              @keydown=${(e: KeyboardEvent) => this._onKey(e, index)}>${mdi(mdiDragVertical, 22)}</button>
            <span class="small muted">${index + 1}</span>
            <span class="title ${"missing" in item ? "missing" : ""}">
              ${item.title ?? html`${item.id} (missing from the library)`}
            </span>
            <span class="small muted">${"missing" in item ? nothing : duration(item.duration)}</span>
            ${
              this.episodes.has(item.id)
                ? html`<button class="icon" aria-label="Hide episode ${item.title ?? item.id}" title="Hide episode"
                  @click=${() => this._fire("queue-remove", {index})}>${mdi(mdiEyeOffOutline, 20)}</button>`
                : html`<button class="icon" aria-label="Remove ${item.title ?? item.id}" title="Remove"
                  @click=${() => this._fire("queue-remove", {index})}>${mdi(mdiClose, 20)}</button>`
            }
          </li>`,
        )}
      </ol>`;
  }

  override updated(): void {
    if (this._focusIndex === undefined) return;
    const handle = this.renderRoot.querySelector<HTMLButtonElement>(`li[data-index="${this._focusIndex}"] .handle`);
    handle?.focus();
    this._focusIndex = undefined;
  }

  /** Keep the focus on the item at `index` after the parent re-renders the list. */
  focusItem(index: number): void {
    this._focusIndex = index;
    this.requestUpdate();
  }

  private _onKey(e: KeyboardEvent, index: number) {
    const last = this.items.length - 1;
    const to = {ArrowUp: index - 1, ArrowDown: index + 1, Home: 0, End: last}[e.key];
    if (to === undefined) return;
    e.preventDefault();
    if (to < 0 || to > last || to === index) return;
    this.focusItem(to);
    this._move(index, to);
  }

  /**
   * Pointer events, so a finger drags as a mouse does (HTML5 drag and drop never fires for touch).
   * A mouse may pick up a row anywhere but its buttons; a finger only by the handle, so swiping
   * over the queue still scrolls the page.
   */
  private _onPointerDown(e: PointerEvent, index: number) {
    if (e.button !== 0 || this.#drag) return;
    const path = e.composedPath();
    const onHandle = path.some((n) => n instanceof HTMLElement && n.classList.contains("handle"));
    const onOtherButton = path.some((n) => n instanceof HTMLButtonElement && !n.classList.contains("handle"));
    if (onOtherButton || (e.pointerType !== "mouse" && !onHandle)) return;
    const rows = [...this.renderRoot.querySelectorAll("li[data-index]")].map((li) => li.getBoundingClientRect());
    this.#drag = {from: index, pointerId: e.pointerId, startY: e.clientY, moved: false, rows};
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
  }

  private _onPointerMove(e: PointerEvent) {
    const drag = this.#drag;
    if (!drag || e.pointerId !== drag.pointerId) return;
    const dy = e.clientY - drag.startY;
    // A few pixels of wobble is a tap, not a drag.
    if (!drag.moved && Math.abs(dy) < 6) return;
    drag.moved = true;
    e.preventDefault();
    this._dragFrom = drag.from;
    this._dragDy = dy;
    // The row under the pointer, by where the rows were when the drag began: the item takes its place.
    const at = drag.rows.findIndex((r) => e.clientY < r.bottom);
    this._dropAt = at === -1 ? drag.rows.length - 1 : at;
  }

  private _onPointerUp(e: PointerEvent) {
    const drag = this.#drag;
    if (!drag || e.pointerId !== drag.pointerId) return;
    const to = this._dropAt;
    this._onPointerCancel();
    if (drag.moved && to !== undefined && to !== drag.from) this._move(drag.from, to);
  }

  private _onPointerCancel() {
    this.#drag = undefined;
    this._dragFrom = undefined;
    this._dropAt = undefined;
    this._dragDy = 0;
  }

  private _move(from: number, to: number) {
    const item = this.items[from];
    this._said = `Moved ${item?.title ?? item?.id ?? "the track"} to position ${to + 1} of ${this.items.length}`;
    this._fire("queue-move", {from, to});
  }

  private _fire<T>(type: string, detail: T) {
    this.dispatchEvent(new CustomEvent<T>(type, {detail, bubbles: true, composed: true}));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-queue-editor": YssQueueEditor;
  }
  interface HTMLElementEventMap {
    "queue-move": CustomEvent<QueueMove>;
    "queue-remove": CustomEvent<{index: number}>;
  }
}
