import {css, html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {messageOf} from "../components/format.js";
import {storyModeLabel} from "../components/labels.js";
import {renderResource} from "../components/resource-view.js";
import "../components/yss-alert.js";
import "../components/yss-story-cards.js";
import "../components/yss-story-graph.js";
import "../components/yss-story-import.js";
import "../components/yss-story-scenes.js";
import type {LiveEvents} from "../data/live.js";
import {followPlayers} from "../data/players.js";
import {LiveResource} from "../data/resource.js";
import {
  getStories,
  type NarrationProgress,
  narrateStory,
  playStory,
  type StoryView,
  storyExportUrl,
} from "../data/stories.js";
import {panelStyles} from "../styles.js";

/**
 * Choose-your-own-adventure stories: importing one from Twine or ink, each one's scene graph and
 * narration, and where every player is in it.
 */
@customElement("yss-stories-view")
export class YssStoriesView extends LitElement {
  @property({attribute: false}) live?: LiveEvents;

  @state() private _player: Record<string, string> = {};
  /** The last failure per story, shown in that story's card. */
  @state() private _errors: Record<string, string> = {};

  private _stories = new LiveResource(this, {
    load: getStories,
    live: () => this.live,
    // A card rewritten (or its rewrite failed) changes what the story's cards show.
    reloadOn: ["story.sceneEntered", "player.buttonPressed", "rules.changed", "story.cardsChanged"],
    // Each scene narrated (or not) moves its story's count on, without a round trip.
    patch: {
      "story.narrationProgress": (value, {story, narration}) =>
        value.stories.some((s) => s.id === story) ? withNarration(value.stories, story, narration) : "reload",
    },
  });
  private _players = followPlayers(this, () => this.live);

  static override styles = [
    panelStyles,
    css`
      .card + .card {
        margin-top: 12px;
      }
      table {
        border-collapse: collapse;
        width: 100%;
      }
      .failed {
        margin: 4px 0;
        padding-left: 20px;
        overflow-wrap: anywhere;
      }
      td,
      th {
        text-align: left;
        padding: 4px;
        border-bottom: 1px solid var(--yss-divider);
        vertical-align: top;
      }
    `,
  ];

  override render() {
    return html`<yss-story-import .stories=${this._stories.value?.stories} @imported=${() => this._stories.reload()}></yss-story-import>
      ${renderResource(this._stories, ({stories}) =>
        stories.length === 0
          ? html`<p class="muted">No stories loaded: import one, or add a rules file with a <code>story:</code> section.</p>`
          : html`${stories.map((s) => this._renderStory(s))}`,
      )}`;
  }

  private _renderStory(story: StoryView) {
    const players = this._players.value?.players ?? [];
    return html`<section class="card" aria-label=${story.title} data-story=${story.id}>
      <h2>${story.title}</h2>
      ${story.description ? html`<p class="small muted">${story.description}</p>` : nothing}
      <p class="small muted">${sceneCount(story)} · ${storyModeLabel(story.mode)}</p>
      ${this._renderNarration(story)}
      <yss-story-graph .story=${story} .sessions=${story.sessions}></yss-story-graph>
      <yss-story-scenes .story=${story}></yss-story-scenes>
      ${
        story.ink
          ? nothing
          : html`<p class="small"><a href=${storyExportUrl(story.id)} download=${`${story.id}.twee`} data-testid="export">Export for Twine (.twee)</a></p>`
      }
      <yss-story-cards .story=${story} @story-changed=${(e: HTMLElementEventMap["story-changed"]) => this._onChanged(e.detail.story)}></yss-story-cards>
      <h3>Players in this story</h3>
      ${
        story.sessions.length === 0
          ? html`<p class="small muted">Nobody yet: insert its card, or start it on a player here.</p>`
          : html`<table class="small" aria-label="Sessions">
            <thead><tr><th>Player</th><th>Scene</th><th>Path</th><th>Variables</th></tr></thead>
            <tbody>${story.sessions.map(
              (s) => html`<tr data-player=${s.playerId}>
                <td>${s.player}${s.active ? "" : html` <span class="muted">(stopped)</span>`}</td>
                <td data-testid="scene">${s.scene}</td>
                <td>${s.path.join(" → ")}</td>
                <td>${Object.entries(s.variables).map(([k, v]) => html`<div><code>${k}</code>: ${JSON.stringify(v)}</div>`)}</td>
              </tr>`,
            )}</tbody>
          </table>`
      }
      <div class="row" style="margin-top: 8px">
        <select aria-label="Player for ${story.title}"
          @change=${(e: Event) => (this._player = {...this._player, [story.id]: (e.target as HTMLSelectElement).value})}>
          <option value="">Choose a player…</option>
          ${players.map((p) => html`<option value=${p.id} ?selected=${this._player[story.id] === p.id}>${p.name}</option>`)}
        </select>
        <button class="primary" ?disabled=${!this._player[story.id]} @click=${() => this._onPlay(story)}>Start story</button>
      </div>
      <yss-alert .message=${this._errors[story.id]}></yss-alert>
    </section>`;
  }

  /** Shown while the story's spoken scenes are being made, and when some could not be. */
  private _renderNarration(story: StoryView) {
    const n = story.narration;
    if (!n || n.state === "ready") return nothing;
    if (n.state === "narrating")
      return html`<p class="small" role="status" data-testid="narration">Narrating ${n.done} of ${n.total} scenes</p>`;
    return html`<div data-testid="narration">
      <p class="small">${n.failed.length} of ${n.total} scenes could not be narrated:</p>
      <ul class="failed small" aria-label="Scenes not narrated">
        ${n.failed.map((f) => html`<li><strong>${f.title}</strong>: ${f.error}</li>`)}
      </ul>
      <button @click=${() => this._onNarrate(story)}>Narrate again</button>
    </div>`;
  }

  private async _onNarrate(story: StoryView) {
    this._errors = {...this._errors, [story.id]: ""};
    try {
      const {narration} = await narrateStory(story.id);
      if (this._stories.value) this._stories.set(withNarration(this._stories.value.stories, story.id, narration));
    } catch (err) {
      this._errors = {...this._errors, [story.id]: messageOf(err)};
    }
  }

  /** The service's answer in place when it sent the story, else the list again. */
  private _onChanged(story?: StoryView) {
    const stories = this._stories.value?.stories;
    if (story && stories?.some((s) => s.id === story.id))
      this._stories.set({stories: stories.map((s) => (s.id === story.id ? story : s))});
    else this._stories.reload();
  }

  private async _onPlay(story: StoryView) {
    this._errors = {...this._errors, [story.id]: ""};
    try {
      await playStory(story.id, this._player[story.id] as string);
      this._stories.reload();
    } catch (err) {
      this._errors = {...this._errors, [story.id]: messageOf(err)};
    }
  }
}

function withNarration(stories: StoryView[], id: string, narration: NarrationProgress): {stories: StoryView[]} {
  return {stories: stories.map((s) => (s.id === id ? {...s, narration} : s))};
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-stories-view": YssStoriesView;
  }
}

/** "1 scene", "12 scenes"; an ink story's scenes are made as it plays. */
function sceneCount(story: StoryView): string {
  if (story.ink) return "scenes made as it plays";
  return story.scenes.length === 1 ? "1 scene" : `${story.scenes.length} scenes`;
}
