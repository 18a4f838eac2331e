import {mdiChevronDown, mdiChevronRight} from "@mdi/js";
import {css, html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {mdi} from "../components/mdi.js";
import {renderResource} from "../components/resource-view.js";
import "../components/yss-copy-button.js";
import type {VoiceSentences} from "../../../src/shared/api/index.js";
import {get} from "../data/http.js";
import type {LiveEvents} from "../data/live.js";
import {LiveResource} from "../data/resource.js";
import {panelStyles} from "../styles.js";

const LANGUAGES = [
  {code: "en", label: "English"},
  {code: "de", label: "Deutsch"},
] as const;
type Language = (typeof LANGUAGES)[number]["code"];

const LANGUAGE_KEY = "yss-voice-language";
/** The version last copied, per language: the sentences' version says the language too. */
const copiedKey = (language: string) => `yss-voice-copied-${language}`;

/** localStorage can be refused (a private window, a sandboxed frame): then nothing is remembered. */
function recall(key: string): string | undefined {
  try {
    return window.localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

function keep(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Not remembered: the notice then never shows, which is all that is lost.
  }
}

function storedLanguage(): Language {
  const stored = recall(LANGUAGE_KEY);
  return LANGUAGES.find((l) => l.code === stored)?.code ?? "en";
}

/**
 * The names as read: the sentences also hold each name without its apostrophes (as a speech engine
 * may write "Mias Room"), which is left out here when the name with them is there.
 */
function listed(names: string[]): string {
  const said = new Set(names.filter((n) => n.includes("'")).map((n) => n.replaceAll("'", "")));
  return names.filter((n) => n.includes("'") || !said.has(n)).join(", ");
}

/**
 * What the family says to Home Assistant, in their own names: the voice blueprint's sentence
 * inputs with the children, Yotos and Home Assistant areas written in, to paste into the voice
 * automation whole (its YAML) or a trigger at a time. The names change with the family; the page
 * remembers which version was last copied here and says when it is out of date.
 */
@customElement("yss-voice-view")
export class YssVoiceView extends LitElement {
  @property({attribute: false}) live?: LiveEvents;

  @state() private _language: Language = storedLanguage();
  /** The triggers whose sentences are shown. */
  @state() private _unfolded = new Set<string>();
  /** Bumped when something is copied, so the notice is read again from localStorage. */
  @state() private _copies = 0;

  private _sentences = new LiveResource(this, {
    load: () => get<VoiceSentences>("api/voice/sentences", {language: this._language}),
    live: () => this.live,
    reloadOn: ["family.changed", "player.added", "player.removed"],
    patch: {"player.changed": (value, {changed}) => (changed.includes("name") ? "reload" : value)},
  });

  static override styles = [
    panelStyles,
    css`
      header {
        justify-content: space-between;
        margin-bottom: 8px;
      }
      header h2 {
        margin: 0;
      }
      [role="group"] button[aria-pressed="true"] {
        background: color-mix(in srgb, var(--yss-primary) 18%, transparent);
        border-color: var(--yss-primary);
        color: var(--yss-primary);
      }
      p,
      li,
      dd,
      summary {
        overflow-wrap: anywhere;
      }
      .notice {
        border-left: 4px solid var(--yss-warning);
        background: color-mix(in srgb, var(--yss-warning) 14%, transparent);
        border-radius: 8px;
        padding: 8px 12px;
        margin: 12px 0;
      }
      ol.steps {
        padding-left: 20px;
        margin: 4px 0 8px;
      }
      pre {
        margin: 8px 0 0;
        padding: 8px;
        max-height: 50vh;
        overflow-y: auto;
        overflow-x: hidden;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        background: var(--yss-bg);
        border: 1px solid var(--yss-divider);
        border-radius: 8px;
        font-family: var(--ha-font-family-code, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
        font-size: 12px;
        line-height: 1.5;
      }
      details.yaml {
        padding: 8px 0;
      }
      /* A trigger's name folds its list open; its copy button stays beside the name, open or not. */
      .trigger {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 0 8px;
        align-items: start;
        border-top: 1px solid var(--yss-divider);
        padding: 6px 0;
      }
      button.fold {
        justify-content: flex-start;
        text-align: start;
        border: 0;
        border-radius: 8px;
        padding: 6px 4px;
        color: var(--yss-text);
        font-weight: 400;
        overflow-wrap: anywhere;
      }
      button.fold code {
        font-size: 12px;
        color: var(--yss-muted);
      }
      .trigger yss-copy-button {
        justify-content: flex-end;
      }
      ul.sentences {
        grid-column: 1 / -1;
        margin: 4px 0 0;
        padding: 8px 8px 8px 24px;
        background: var(--yss-bg);
        border: 1px solid var(--yss-divider);
        border-radius: 8px;
        font-family: var(--ha-font-family-code, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
        font-size: 12px;
        line-height: 1.5;
      }
      ul.sentences li {
        margin-bottom: 4px;
        overflow-wrap: anywhere;
      }
      ul.sentences[hidden] {
        display: none;
      }
      .version {
        margin-top: 16px;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    // Areas come with Home Assistant's voice requests, which send no event here: look again on coming back.
    document.addEventListener("visibilitychange", this._onVisible);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener("visibilitychange", this._onVisible);
  }

  override render() {
    return html`<div class="card">
      <header class="row">
        <h2>Voice</h2>
        <div class="row" role="group" aria-label="Language">
          ${LANGUAGES.map(
            (l) =>
              html`<button lang=${l.code} aria-pressed=${l.code === this._language ? "true" : "false"}
                @click=${() => this._onLanguage(l.code)}>${l.label}</button>`,
          )}
        </div>
      </header>
      <p class="muted">
        What your family says to Home Assistant about the Yotos, with your children, Yotos and rooms written in. Paste
        it into your voice automation, the one made from the Yoto voice blueprint.
      </p>
      ${renderResource(this._sentences, (s) => this._renderSentences(s))}
    </div>`;
  }

  private _renderSentences(s: VoiceSentences) {
    void this._copies; // read, so a copy renders the notice again
    const copied = recall(copiedKey(s.language));
    return html`${
      copied !== undefined && copied !== s.version
        ? html`<p class="notice" role="status" data-testid="changed">Your family's names changed since you last copied: paste again.</p>`
        : nothing
    }
      <h3>The names written in</h3>
      <dl data-testid="names">
        <dt>Children</dt>
        <dd data-testid="children">${s.names.children.length ? listed(s.names.children) : html`<span class="muted">None yet: add them on the Family page.</span>`}</dd>
        <dt>Yotos</dt>
        <dd data-testid="players">${s.names.players.length ? listed(s.names.players) : html`<span class="muted">None yet: link the Yoto account.</span>`}</dd>
        <dt>Areas</dt>
        <dd data-testid="areas">${
          s.names.areas.length
            ? listed(s.names.areas)
            : html`<span class="muted">No areas yet: Home Assistant sends them with its first voice request; say something to a satellite, then come back.</span>`
        }</dd>
      </dl>

      <h3>Paste the whole automation</h3>
      <ol class="steps">
        <li>Copy the automation YAML.</li>
        <li>In Home Assistant: Settings → Automations &amp; scenes → your Yoto voice automation → ⋮ → Edit in YAML.</li>
        <li>Select everything there, paste, Save.</li>
      </ol>
      <p class="small muted">It carries the add-on's MQTT base topic; the wait for the answer goes back to the blueprint's default.</p>
      <yss-copy-button primary label="Copy the automation YAML" .text=${s.yaml}
        .selectable=${() => this._openYaml()} @copied=${() => this._onCopied(s)}></yss-copy-button>
      <details class="yaml">
        <summary>Show the YAML</summary>
        <pre data-testid="yaml">${s.yaml}</pre>
      </details>

      <h3>Or one trigger at a time</h3>
      <p class="small muted">
        In the automation's blueprint inputs, each list below goes into the input of the same name, one sentence a
        line.
      </p>
      ${s.triggers.map((t) => {
        const open = this._unfolded.has(t.id);
        return html`<div class="trigger" data-trigger=${t.id}>
          <button class="fold" aria-expanded=${open ? "true" : "false"} aria-controls=${`sentences-${t.id}`}
            @click=${() => this._onFold(t.id)}>
            ${mdi(open ? mdiChevronDown : mdiChevronRight, 18)}
            <span>${t.name} <code>${t.id}</code> <span class="small muted">(${t.sentences.length})</span></span>
          </button>
          <yss-copy-button label="Copy" describe=${`Copy the sentences of ${t.name}`} .text=${t.sentences.join("\n")}
            .selectable=${() => this._unfold(t.id)} @copied=${() => this._onCopied(s)}></yss-copy-button>
          <ul class="sentences" id=${`sentences-${t.id}`} ?hidden=${!open}>
            ${t.sentences.map((line) => html`<li>${line}</li>`)}
          </ul>
        </div>`;
      })}
      <p class="small muted version" data-testid="version">
        Version <code>${s.version}</code>. These change when a child, a Yoto or an area does: come back and paste again.
      </p>`;
  }

  /** The YAML unfolded, and its text, to select when the clipboard is refused. */
  private _openYaml(): Element | null {
    const details = this.renderRoot.querySelector<HTMLDetailsElement>("details.yaml");
    if (details) details.open = true;
    return details?.querySelector("pre") ?? null;
  }

  /** A trigger's list unfolded and drawn, to select when the clipboard is refused. */
  private async _unfold(id: string): Promise<Element | null> {
    if (!this._unfolded.has(id)) this._onFold(id);
    await this.updateComplete;
    return this.renderRoot.querySelector(`#sentences-${id}`);
  }

  private _onFold(id: string): void {
    const unfolded = new Set(this._unfolded);
    if (!unfolded.delete(id)) unfolded.add(id);
    this._unfolded = unfolded;
  }

  private _onLanguage(code: Language): void {
    if (code === this._language) return;
    this._language = code;
    keep(LANGUAGE_KEY, code);
    this._sentences.reload();
  }

  private _onCopied(s: VoiceSentences): void {
    keep(copiedKey(s.language), s.version);
    this._copies++;
  }

  private _onVisible = () => {
    if (document.visibilityState === "visible") this._sentences.reload();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-voice-view": YssVoiceView;
  }
}
