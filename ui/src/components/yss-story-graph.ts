import {mdiMagnifyMinusOutline, mdiMagnifyPlusOutline} from "@mdi/js";
import {css, html, LitElement, nothing, svg} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import type {StorySession, StoryView} from "../data/stories.js";
import {mdi} from "./mdi.js";
import {
  type DrawnEdge,
  drawLayout,
  NODE_H,
  NODE_W,
  type StoryDrawing,
  TITLE_CHARS,
  titleLines,
} from "./story-geometry.js";
import {layoutStory} from "./story-layout.js";

const EXIT_LABELS = {left: "◀", right: "▶", end: "⏎"} as const;
/** Past this many scenes the graph is not drawn (a streamed story can have thousands): the list has them. */
export const MAX_DRAWN_SCENES = 150;
const ZOOMS = [0.5, 0.67, 0.8, 1, 1.25, 1.5, 2];
const clampZoom = (z: number) => Math.min(ZOOMS.at(-1) as number, Math.max(ZOOMS[0] as number, z));

/**
 * A story's scenes as a graph: columns in layers from the start, ordered so arrows cross as little
 * as a layered drawing allows (story-layout.ts), arrows for the left, right and end exits (dashed
 * where they lead back), each box's whole title as its tooltip, and a marker on each scene a player
 * is in now. Drawn at its own size (readable on a
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
    .edge text.label {
      font-size: 11px;
      paint-order: stroke;
      stroke: var(--card-background-color, #fff);
      stroke-width: 3px;
    }
    /* An exit leading back towards the start: dashed, its arrowhead on the scene it returns to. */
    .edge.back path {
      stroke-dasharray: 5 3;
    }
    .edge:hover path {
      stroke: var(--primary-color, #03a9f4);
      stroke-width: 2;
    }
  `;

  override render() {
    const scenes = this.story.scenes;
    if (scenes.length === 0) return html`<p>No scenes.</p>`;
    if (scenes.length > MAX_DRAWN_SCENES)
      return html`<p class="muted" data-testid="too-big">${scenes.length} scenes are too many to draw: the list below has each one.</p>`;
    const {width, height, scenes: placed, edges} = drawingOf(this.story);
    const titles = new Map(scenes.map((s) => [s.id, s.title]));
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
      <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6"
        orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10" /></marker></defs>
      ${edges.map((e) => drawEdge(e, titles))}
      ${placed.map((p) => {
        const players = here.get(p.id) ?? [];
        const title = titles.get(p.id) ?? p.id;
        const lines = titleLines(title);
        return svg`<g class="node ${p.id === this.story.start ? "start" : ""} ${players.length ? "here" : ""}"
          data-scene=${p.id} transform="translate(${p.x},${p.y})">
          <title>${title}</title>
          <rect width=${NODE_W} height=${NODE_H} rx="8" />
          ${lines.map((line, i) => svg`<text x="8" y=${17 + i * 15}>${line}</text>`)}
          <text x="8" y="50" class=${players.length ? "who" : "label"}>${
            players.length ? `● ${clip(players.join(", "), TITLE_CHARS - 1)}` : clip(p.id, TITLE_CHARS)
          }</text>
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

/**
 * Laid out once per shape of story: the list reloads on every player's move, and a story's scenes
 * and exits rarely change between two loads.
 */
const drawings = new Map<string, StoryDrawing>();
function drawingOf(story: StoryView): StoryDrawing {
  const key = JSON.stringify([story.start, story.scenes.map((s) => [s.id, s.exits.left, s.exits.right, s.exits.end])]);
  let drawing = drawings.get(key);
  if (!drawing) {
    drawing = drawLayout(layoutStory(story.scenes, story.start));
    if (drawings.size >= 20) drawings.delete(drawings.keys().next().value as string);
    drawings.set(key, drawing);
  }
  return drawing;
}

/** An arrow for one or more exits to the same scene; its tooltip says which, from where to where. */
function drawEdge(e: DrawnEdge, titles: Map<string, string>) {
  const buttons = e.exits.map((x) => EXIT_LABELS[x]).join(" ");
  const marker = e.back ? {start: "url(#arrow)", end: nothing} : {start: nothing, end: "url(#arrow)"};
  return svg`<g class="edge ${e.back ? "back" : ""}" data-from=${e.from} data-to=${e.to}>
    <title>${titles.get(e.from)} → ${titles.get(e.to)}</title>
    <path d=${e.d} marker-start=${marker.start} marker-end=${marker.end} />
    <text class="label" x=${e.label.x} y=${e.label.y} text-anchor=${e.label.anchor}>${buttons}</text>
  </g>`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-story-graph": YssStoryGraph;
  }
}
