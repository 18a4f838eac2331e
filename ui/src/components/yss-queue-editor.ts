import {css, html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {repeat} from "lit/directives/repeat.js";
import type {StreamView} from "../data/streams.js";
import {panelStyles} from "../styles.js";
import {duration} from "./format.js";

type QueueItem = StreamView["items"][number];

export interface QueueMove {
  from: number;
  to: number;
}

/**
 * A stream's queue in order. Reorder by dragging a row, or with the keyboard: focus a row's handle
 * and press ↑/↓ (Home/End to the ends). The editor only asks; the parent changes the queue and
 * hands back the new order.
 *
 * @fires queue-move - `{from, to}`: move one item
 * @fires queue-remove - `{index}`: take one item out
 */
@customElement("yss-queue-editor")
export class YssQueueEditor extends LitElement {
  @property({attribute: false}) items: QueueItem[] = [];

  @state() private _dragFrom?: number;
  @state() private _dropAt?: number;
  /** After a keyboard move the moved item keeps the focus. */
  private _focusIndex?: number;

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
      }
      li.dragging {
        opacity: 0.4;
      }
      li.drop {
        border-top: 2px solid var(--yss-primary);
      }
      .handle {
        cursor: grab;
        min-width: 36px;
        border-radius: 8px;
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
    `,
  ];

  override render() {
    if (this.items.length === 0)
      return html`<p class="muted">The queue is empty: add tracks from the library below.</p>`;
    return html`<p id="hint" class="visually-hidden">Use the arrow keys on a handle to move that track.</p>
      <ol class="plain" aria-label="Queue" @dragover=${this._onDragOver} @drop=${this._onDrop}>
        ${repeat(
          this.items,
          (_item, index) => index,
          (item, index) => html`<li
            draggable="true"
            data-index=${index}
            class="${this._dragFrom === index ? "dragging" : ""} ${this._dropAt === index ? "drop" : ""}"
            @dragstart=${(e: DragEvent) => this._onDragStart(e, index)}
            @dragend=${this._onDragEnd}
          >
            <button class="handle" aria-describedby="hint" aria-label="Move ${item.title ?? item.id}, position ${index + 1} of ${this.items.length}"
              @keydown=${(e: KeyboardEvent) => this._onKey(e, index)}>⠿</button>
            <span class="small muted">${index + 1}</span>
            <span class="title ${"missing" in item ? "missing" : ""}">
              ${item.title ?? html`${item.id} (missing from the library)`}
            </span>
            <span class="small muted">${"missing" in item ? nothing : duration(item.duration)}</span>
            <button class="icon" aria-label="Remove ${item.title ?? item.id}" @click=${() => this._fire("queue-remove", {index})}>✕</button>
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
    this._fire("queue-move", {from: index, to});
  }

  private _onDragStart(e: DragEvent, index: number) {
    this._dragFrom = index;
    e.dataTransfer?.setData("text/plain", String(index));
    if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
  }

  private _onDragOver(e: DragEvent) {
    if (this._dragFrom === undefined) return;
    e.preventDefault();
    const row = (e.composedPath().find((n) => n instanceof HTMLLIElement) as HTMLLIElement | undefined) ?? undefined;
    if (row) this._dropAt = Number(row.dataset.index);
  }

  private _onDrop(e: DragEvent) {
    e.preventDefault();
    const from = this._dragFrom;
    const to = this._dropAt;
    this._onDragEnd();
    // The marked row is where the item goes before; moving down, the item's own slot closes first.
    const target = to !== undefined && from !== undefined && from < to ? to - 1 : to;
    if (from !== undefined && target !== undefined && from !== target) this._fire("queue-move", {from, to: target});
  }

  private _onDragEnd() {
    this._dragFrom = undefined;
    this._dropAt = undefined;
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
