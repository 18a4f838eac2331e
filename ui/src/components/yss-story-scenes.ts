import {css, html, LitElement, nothing} from "lit";
import {customElement, property} from "lit/decorators.js";
import type {Exit, StoryView} from "../data/stories.js";
import {panelStyles} from "../styles.js";

/** Each button in words, in the order the graph's arrows are marked ◀ ▶ ⏎. */
const BUTTONS: ReadonlyArray<[Exit, string]> = [
  ["left", "Left button"],
  ["right", "Right button"],
  ["end", "When it ends"],
];

/**
 * A story's scenes as a list: each with its whole title, where each button leads and on what
 * condition. What the graph shows, for a screen reader and a narrow screen; folded away until
 * opened, so a long story does not push the rest of its card down.
 *
 * Titles come from the author's file: only ever bound as text.
 */
@customElement("yss-story-scenes")
export class YssStoryScenes extends LitElement {
  @property({attribute: false}) story!: StoryView;

  static override styles = [
    panelStyles,
    css`
      :host {
        display: block;
        margin-top: 8px;
      }
      summary {
        cursor: pointer;
        min-height: 36px;
        display: flex;
        align-items: center;
        color: var(--yss-primary);
        font-weight: 500;
      }
      summary:focus-visible {
        outline: none;
        box-shadow: var(--yss-focus);
        border-radius: 4px;
      }
      ol {
        margin: 4px 0 0;
        padding-left: 24px;
      }
      ol > li + li {
        margin-top: 6px;
      }
      li {
        overflow-wrap: anywhere;
      }
      ul {
        margin: 2px 0 0;
        padding-left: 18px;
      }
      code {
        font-size: 12px;
      }
    `,
  ];

  override render() {
    const {scenes, start, title} = this.story;
    if (scenes.length === 0) return nothing;
    const titles = new Map(scenes.map((s) => [s.id, s.title]));
    const named = (to: string) => (to === "stop" ? "the story ends" : `“${titles.get(to) ?? to}”`);
    return html`<details>
      <summary>Scenes as a list (${scenes.length})</summary>
      <ol aria-label="Scenes of ${title}">
        ${scenes.map((scene) => {
          const exits = BUTTONS.filter(([exit]) => Object.hasOwn(scene.exits, exit) && scene.exits[exit]);
          return html`<li data-scene=${scene.id}>
            <strong>${scene.title}</strong>${scene.id === start ? html` <span class="muted">(the start)</span>` : nothing}
            <ul class="small" aria-label="Buttons of ${scene.title}">
              ${exits.map(([exit, words]) => {
                const condition = scene.conditions?.[exit];
                return html`<li>${words}: ${named(scene.exits[exit] as string)}${
                  condition ? html`, only if <code>${condition}</code>` : nothing
                }</li>`;
              })}
              ${exits.some(([exit]) => exit === "end") ? nothing : html`<li>When it ends: the story stops</li>`}
            </ul>
          </li>`;
        })}
      </ol>
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-story-scenes": YssStoryScenes;
  }
}
