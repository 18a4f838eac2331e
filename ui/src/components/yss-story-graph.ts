import {mdiMagnifyMinusOutline, mdiMagnifyPlusOutline} from "@mdi/js";
import {css, html, LitElement, svg} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import type {StorySession, StoryView} from "../data/stories.js";
import {mdi} from "./mdi.js";

const NODE_W = 150;
const NODE_H = 44;
/** What fits a node's width in the panel's font, wide letters included; the full title is its tooltip. */
const TITLE_CHARS = 17;
const GAP_X = 60;
const GAP_Y = 26;
const EXIT_LABELS = {left: "◀", right: "▶", end: "⏎"} as const;
const ZOOMS = [0.5, 0.67, 0.8, 1, 1.25, 1.5, 2];
const clampZoom = (z: number) => Math.min(ZOOMS.at(-1) as number, Math.max(ZOOMS[0] as number, z));

interface Placed {
  id: string;
  title: string;
  x: number;
  y: number;
}

/**
 * A story's scenes as a graph: columns by distance from the start, arrows for the left, right and
 * end exits, and a marker on each scene a player is in now. Drawn at its own size (readable on a
 * phone) in a frame that scrolls; zoom with the buttons, ctrl + wheel (a trackpad's pinch) or two
 * fingers.
 */
@customElement("yss-story-graph")
export class YssStoryGraph extends LitElement {
  @property({attribute: false}) story!: StoryView;
  @property({attribute: false}) sessions: StorySession[] = [];
  @state() private _zoom = 1;
  /** Fingers on the graph, for pinching: where each is now, and the spread and zoom a pinch began at. */
  #touches = new Map<number, {x: number; y: number}>();
  #pinch?: {spread: number; zoom: number};

  static override styles = css`
    /* Drawn at its own size so the text stays readable on a phone; the frame scrolls instead. */
    :host {
      display: block;
    }
    .frame {
      overflow: auto;
      max-height: 70vh;
      -webkit-overflow-scrolling: touch;
      /* One finger scrolls the frame; two pinch-zoom the graph, not the page. */
      touch-action: pan-x pan-y;
      border: 1px solid var(--divider-color, rgba(0, 0, 0, 0.12));
      border-radius: 8px;
    }
    .zoom {
      display: flex;
      align-items: center;
      gap: 4px;
      justify-content: flex-end;
      margin-bottom: 4px;
      font-size: 12px;
      color: var(--secondary-text-color, #727272);
    }
    .zoom button {
      width: 36px;
      height: 36px;
      border: none;
      border-radius: 50%;
      background: transparent;
      color: var(--primary-text-color, #212121);
      cursor: pointer;
      display: inline-flex;
      align-items: center;
      justify-content: center;
    }
    .zoom button:disabled {
      opacity: 0.4;
      cursor: default;
    }
    .zoom button.reset {
      width: auto;
      border-radius: 18px;
      padding: 0 8px;
      font: inherit;
      font-variant-numeric: tabular-nums;
    }
    svg {
      display: block;
      height: auto;
      font: 12px var(--ha-font-family-body, Roboto, system-ui, sans-serif);
    }
    .node rect {
      fill: var(--card-background-color, #fff);
      stroke: var(--divider-color, rgba(0, 0, 0, 0.3));
    }
    .node.start rect {
      stroke: var(--primary-color, #03a9f4);
      stroke-width: 2;
    }
    .node.here rect {
      fill: color-mix(in srgb, var(--primary-color, #03a9f4) 22%, var(--card-background-color, #fff));
      stroke: var(--primary-color, #03a9f4);
      stroke-width: 2;
    }
    text {
      fill: var(--primary-text-color, #212121);
    }
    .who {
      fill: var(--primary-color, #03a9f4);
      font-weight: 600;
    }
    path {
      fill: none;
      stroke: var(--secondary-text-color, #727272);
    }
    .label {
      fill: var(--secondary-text-color, #727272);
    }
  `;

  override render() {
    const placed = layout(this.story);
    if (placed.length === 0) return html`<p>No scenes.</p>`;
    const byId = new Map(placed.map((p) => [p.id, p]));
    const width = Math.max(...placed.map((p) => p.x)) + NODE_W + 10;
    const height = Math.max(...placed.map((p) => p.y)) + NODE_H + 10;
    const here = new Map<string, string[]>();
    for (const s of this.sessions.filter((s) => s.active)) here.set(s.scene, [...(here.get(s.scene) ?? []), s.player]);
    const zoom = this._zoom;
    return html`<div class="zoom" role="group" aria-label="Zoom">
        <button aria-label="Zoom out" title="Zoom out" ?disabled=${zoom <= (ZOOMS[0] as number)}
          @click=${() => this._step(-1)}>${mdi(mdiMagnifyMinusOutline, 20)}</button>
        <button class="reset" aria-label="Actual size" title="Actual size" data-testid="zoom"
          @click=${() => (this._zoom = 1)}>${Math.round(zoom * 100)}%</button>
        <button aria-label="Zoom in" title="Zoom in" ?disabled=${zoom >= (ZOOMS.at(-1) as number)}
          @click=${() => this._step(1)}>${mdi(mdiMagnifyPlusOutline, 20)}</button>
      </div>
      <div class="frame" @wheel=${this._onWheel} @pointerdown=${this._onTouch} @pointermove=${this._onTouch}
        @pointerup=${this._onTouchEnd} @pointercancel=${this._onTouchEnd}>
      <svg viewBox="0 0 ${width} ${height}" width=${Math.round(width * zoom)} data-zoom=${zoom} role="img"
      aria-label="Scenes of ${this.story.title}">
      <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto">
        <path d="M0,0 L10,5 L0,10" /></marker></defs>
      ${this.story.scenes.flatMap((scene) =>
        Object.entries(scene.exits).map(([exit, to]) => {
          const a = byId.get(scene.id);
          const b = to ? byId.get(to) : undefined;
          if (!a || !b) return svg``;
          return edge(a, b, EXIT_LABELS[exit as keyof typeof EXIT_LABELS] ?? exit);
        }),
      )}
      ${placed.map((p) => {
        const players = here.get(p.id) ?? [];
        return svg`<g class="node ${p.id === this.story.start ? "start" : ""} ${players.length ? "here" : ""}"
          data-scene=${p.id} transform="translate(${p.x},${p.y})">
          <title>${p.title}</title>
          <rect width=${NODE_W} height=${NODE_H} rx="8" />
          <text x="8" y="18">${clip(p.title, TITLE_CHARS)}</text>
          <text x="8" y="35" class=${players.length ? "who" : "label"}>${players.length ? `● ${clip(players.join(", "), 18)}` : p.id}</text>
        </g>`;
      })}
    </svg></div>`;
  }

  /** One step along the zoom levels, from the nearest one. */
  private _step(direction: 1 | -1) {
    const next =
      direction > 0 ? ZOOMS.find((z) => z > this._zoom + 0.01) : ZOOMS.findLast((z) => z < this._zoom - 0.01);
    if (next !== undefined) this._zoom = next;
  }

  /** Ctrl + wheel, which is also what a trackpad's pinch sends: zoom the graph, not the page. */
  private _onWheel(e: WheelEvent) {
    if (!e.ctrlKey) return;
    e.preventDefault();
    this._zoom = clampZoom(this._zoom * Math.exp(-e.deltaY / 300));
  }

  private _onTouch(e: PointerEvent) {
    if (e.pointerType !== "touch") return;
    if (e.type === "pointerdown") this.#touches.set(e.pointerId, {x: e.clientX, y: e.clientY});
    else if (this.#touches.has(e.pointerId)) this.#touches.set(e.pointerId, {x: e.clientX, y: e.clientY});
    if (this.#touches.size !== 2) return;
    const [a, b] = [...this.#touches.values()] as [{x: number; y: number}, {x: number; y: number}];
    const spread = Math.hypot(a.x - b.x, a.y - b.y);
    if (!this.#pinch) this.#pinch = {spread: Math.max(1, spread), zoom: this._zoom};
    else this._zoom = clampZoom(this.#pinch.zoom * (spread / this.#pinch.spread));
  }

  private _onTouchEnd(e: PointerEvent) {
    this.#touches.delete(e.pointerId);
    if (this.#touches.size < 2) this.#pinch = undefined;
  }
}

/** Columns by breadth-first distance from the start; scenes not reachable go in a last column. */
function layout(story: StoryView): Placed[] {
  const depth = new Map<string, number>([[story.start, 0]]);
  const queue = [story.start];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    const scene = story.scenes.find((s) => s.id === id);
    for (const to of Object.values(scene?.exits ?? {})) {
      if (to && !depth.has(to) && story.scenes.some((s) => s.id === to)) {
        depth.set(to, (depth.get(id) ?? 0) + 1);
        queue.push(to);
      }
    }
  }
  const last = Math.max(0, ...depth.values()) + 1;
  const rows = new Map<number, number>();
  return story.scenes.map((scene) => {
    const column = depth.get(scene.id) ?? last;
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    return {id: scene.id, title: scene.title, x: 5 + column * (NODE_W + GAP_X), y: 5 + row * (NODE_H + GAP_Y)};
  });
}

function edge(a: Placed, b: Placed, label: string) {
  if (b.x === a.x && b.y > a.y) {
    // Same column, further down: straight down.
    const x = a.x + NODE_W / 2;
    return svg`<path d="M${x},${a.y + NODE_H} L${x},${b.y}" marker-end="url(#arrow)" /><text class="label" x=${x + 6} y=${(a.y + NODE_H + b.y) / 2 + 4}>${label}</text>`;
  }
  const back = b.x <= a.x;
  const x1 = back ? a.x + NODE_W / 2 : a.x + NODE_W;
  const y1 = back ? a.y + NODE_H : a.y + NODE_H / 2;
  const x2 = back ? b.x + NODE_W / 2 : b.x;
  const y2 = back ? b.y + NODE_H : b.y + NODE_H / 2;
  // Backward exits loop underneath so they do not cross the forward ones.
  const d = back
    ? `M${x1},${y1} C${x1},${y1 + 30} ${x2},${y2 + 30} ${x2},${y2}`
    : `M${x1},${y1} C${x1 + GAP_X / 2},${y1} ${x2 - GAP_X / 2},${y2} ${x2},${y2}`;
  const mx = (x1 + x2) / 2;
  const my = back ? Math.max(y1, y2) + 24 : (y1 + y2) / 2 - 4;
  return svg`<path d=${d} marker-end="url(#arrow)" /><text class="label" x=${mx} y=${my} text-anchor="middle">${label}</text>`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-story-graph": YssStoryGraph;
  }
}
