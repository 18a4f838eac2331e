import {css, html, LitElement} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {live} from "lit/directives/live.js";
import type {AssistantView, GrantsAsked} from "../data/assistants.js";

/**
 * What an assistant may do, in the words the service's log says it: "read-only, Mia only",
 * "everything". Written here too: the panel reads the service's types, never its code.
 */
export function grantsSaid(a: Pick<AssistantView, "read_only" | "children">): string {
  const who = a.children.length ? `${a.children.join(" and ")} only` : "every child";
  const words = a.read_only ? `read-only, ${who}` : who === "every child" ? "everything" : who;
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The two things a parent gives an assistant, for a token and for an OAuth request's Approve
 * alike: read only, and every child or some of them (none ticked is every child: ticking a child
 * unticks "Every child", and unticking the last child ticks it again). `label` names the group
 * for a screen reader, so two on a page ("Kitchen tablet", "Home Assistant") are told apart.
 */
@customElement("yss-assistant-grants")
export class YssAssistantGrants extends LitElement {
  /** The family plan's children, by name (not `children`: an element has its own). */
  @property({attribute: false}) family: string[] = [];
  @property() label = "What the assistant may do";

  @state() private _readOnly = false;
  @state() private _chosen: string[] = [];

  static override styles = css`
    :host {
      display: block;
    }
    fieldset {
      border: 1px solid var(--yss-divider);
      border-radius: 8px;
      margin: 0;
      padding: 6px 10px 8px;
      min-width: 0;
    }
    legend {
      padding: 0 4px;
      font-size: 0.9em;
      color: var(--secondary-text-color, inherit);
    }
    .choices {
      display: flex;
      flex-wrap: wrap;
      gap: 0 16px;
    }
    label {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      min-height: 32px;
      overflow-wrap: anywhere;
    }
    input[type="checkbox"] {
      margin: 0;
      width: 16px;
      height: 16px;
      flex: none;
      accent-color: var(--yss-primary);
    }
    .hint {
      margin: 0 0 4px 22px;
      font-size: 0.85em;
      color: var(--secondary-text-color, inherit);
    }
  `;

  /** What is ticked now, as the service takes it. */
  get grants(): GrantsAsked {
    // A child ticked and then gone from the plan is not sent: the service would refuse the whole.
    // Unless none is left: sent as ticked, so the service refuses rather than giving every child.
    const kept = this._chosen.filter((c) => this.family.includes(c));
    return {read_only: this._readOnly, children: kept.length ? kept : [...this._chosen]};
  }

  /** Back to everything, after a token was made. */
  reset(): void {
    this._readOnly = false;
    this._chosen = [];
  }

  override render() {
    const every = this._chosen.length === 0;
    return html`<fieldset role="group" aria-label=${this.label}>
      <legend>What it may do</legend>
      <label><input type="checkbox" data-grant="read-only" .checked=${live(this._readOnly)}
        @change=${(e: Event) => (this._readOnly = (e.target as HTMLInputElement).checked)} />Read only</label>
      <p class="hint">It asks what's playing, listened today, bedtime, the week, last night and a shelf; it plays nothing.</p>
      <div class="choices" role="group" aria-label="Which children">
        <label><input type="checkbox" data-grant="every-child" .checked=${live(every)}
          @change=${() => (this._chosen = [])} />Every child</label>
        ${this.family.map(
          (c) => html`<label><input type="checkbox" data-grant-child=${c} .checked=${live(this._chosen.includes(c))}
            @change=${(e: Event) => this._tick(c, (e.target as HTMLInputElement).checked)} />${c}</label>`,
        )}
      </div>
    </fieldset>`;
  }

  private _tick(child: string, on: boolean) {
    this._chosen = on ? [...this._chosen.filter((c) => c !== child), child] : this._chosen.filter((c) => c !== child);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-assistant-grants": YssAssistantGrants;
  }
}
