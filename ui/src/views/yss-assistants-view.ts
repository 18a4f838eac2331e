import {css, html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {ago} from "../components/format.js";
import {renderResource} from "../components/resource-view.js";
import "../components/yss-alert.js";
import "../components/yss-copy-text.js";
import {grantsSaid, type YssAssistantGrants} from "../components/yss-assistant-grants.js";
import "../components/yss-assistant-grants.js";
import {madeCredentialStyles} from "../components/tablet-links-styles.js";
import {Action} from "../controllers/action.js";
import {
  type AssistantMade,
  type AssistantRequestView,
  type AssistantsList,
  type AssistantView,
  answerAssistantRequest,
  getAssistants,
  makeAssistant,
  revokeAssistant,
} from "../data/assistants.js";
import {followChildren} from "../data/family-live.js";
import type {LiveEvents} from "../data/live.js";
import {mcpAddress} from "../data/mcp-address.js";
import {LiveResource} from "../data/resource.js";
import {panelStyles} from "../styles.js";

/** The words the view shows, kept together (the panel has no translation files). */
const WORDS = {
  serverTitle: "MCP server",
  serverAbout:
    "Home Assistant finds it by itself (Settings → Devices & services → Model Context Protocol); any other MCP client takes this address and a token.",
  copyAddress: "Copy the MCP server's address",
  requestsTitle: "Requests waiting",
  requestsAbout: "Approving lets that assistant play, pause and ask about the Yotos, within the family plan.",
  noRequests: "No assistant is asking.",
  // The name is a stranger's text: isolated, so a right-to-left mark in it cannot turn the rest around.
  asks: (r: AssistantRequestView) =>
    html`<bdi>${r.client}</bdi> asks to use the Yotos (answer goes to <bdi>${r.redirect_host}</bdi>)`,
  from: (r: AssistantRequestView) => `From ${r.from}`,
  pairingAbout: "Approve only if the assistant's page shows this code.",
  answerLabel: (answer: "Approve" | "Deny", r: AssistantRequestView) =>
    `${answer} ${r.client} from ${r.from}, code ${r.pairing}`,
  makeTitle: "Make a token",
  makeAbout: "For an MCP client other than Home Assistant: name the assistant, then paste its token into it.",
  nameLabel: "Assistant's name",
  makeButton: "Make a token",
  shownOnce: "Shown once: paste it into the assistant now.",
  listTitle: "Assistants",
  noAssistants: "No assistant may use the Yotos yet.",
  kinds: {token: "Token", oauth: "Signed in via OAuth"} satisfies Record<AssistantView["kind"], string>,
  revokeAsk: (a: AssistantView) => `Revoke ${a.name}? It can no longer use the Yotos.`,
  // Home Assistant's MCP integration adds the tools as an LLM API of their own: an agent has them only once ticked.
  tickInAgent:
    "In Home Assistant, one more step: open your conversation agent's options (Settings → Devices & services → the agent → Configure) and tick “Yoto Smart Stream” under Control Home Assistant, beside Assist.",
} as const;

/**
 * The assistants that may use the Yotos through the MCP server: its address, the OAuth requests
 * waiting for a parent (Home Assistant's MCP integration), a token made for any other client
 * (shown once: the service keeps only its hash), and the list, each revocable. Read again on
 * `assistants.changed`, so a request shows up while the page is open.
 */
@customElement("yss-assistants-view")
export class YssAssistantsView extends LitElement {
  @property({attribute: false}) live?: LiveEvents;

  @state() private _name = "";
  @state() private _made?: AssistantMade;
  @state() private _confirming?: string;
  /** The family's children, for what an assistant may be given: none without a plan. */
  private _children = followChildren(this, () => this.live);

  private _list = new LiveResource(this, {
    load: getAssistants,
    live: () => this.live,
    reloadOn: ["assistants.changed"],
  });
  readonly #answer = new Action(this);
  readonly #make = new Action(this);
  readonly #revoke = new Action(this);

  static override styles = [
    panelStyles,
    madeCredentialStyles,
    css`
      :host {
        display: block;
      }
      .split {
        --yss-split: minmax(0, 1fr) minmax(0, 1fr);
      }
      .column {
        display: flex;
        flex-direction: column;
        gap: 12px;
        min-width: 0;
      }
      h2 {
        margin: 0 0 8px;
      }
      p {
        margin: 4px 0;
      }
      .entries li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 4px 12px;
        padding: 6px 0;
        border-bottom: 1px solid var(--yss-divider);
      }
      .entries li:last-child {
        border-bottom: none;
      }
      .about {
        display: flex;
        flex-direction: column;
        min-width: 0;
        flex: 1 1 12em;
        overflow-wrap: anywhere;
      }
      .name {
        font-weight: 500;
        unicode-bidi: isolate;
      }
      .pairing-line {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0 8px;
      }
      /* Large, spaced and fixed-width: a parent compares it with the assistant's page at a glance. */
      .pairing {
        font: 700 1.5rem/1.2 ui-monospace, monospace;
        letter-spacing: 0.15em;
      }
      yss-copy-text {
        width: 100%;
      }
      /* What the assistant may do: a line of its own under the name, in the form and in a request. */
      yss-assistant-grants {
        flex: 1 1 100%;
        min-width: 0;
      }
    `,
  ];

  override render() {
    return renderResource(this._list, (l) => this._renderAll(l));
  }

  private _renderAll(l: AssistantsList & {panel_port: number}) {
    return html`<div class="split">
      <div class="column">
        <section class="card" aria-labelledby="server">
          <h2 id="server">${WORDS.serverTitle}</h2>
          <yss-copy-text data-testid="mcp-url" .text=${mcpAddress(l.mcp_url, l.panel_port, location)}
            label=${WORDS.copyAddress}></yss-copy-text>
          <p class="small muted" data-testid="mcp-about">${WORDS.serverAbout}</p>
        </section>
        ${this._renderRequests(l.requests)}
      </div>
      <div class="column">
        ${this._renderMake()}
        ${this._renderList(l.assistants)}
      </div>
    </div>`;
  }

  /** The children's names as the family plan has them now. */
  private get _family(): string[] {
    return this._children.value?.children.map((c) => c.name) ?? [];
  }

  private _renderRequests(requests: AssistantRequestView[]) {
    return html`<section class="card" aria-labelledby="requests">
      <h2 id="requests">${WORDS.requestsTitle}</h2>
      ${
        requests.length === 0
          ? html`<p class="small muted" data-testid="no-requests">${WORDS.noRequests}</p>`
          : html`<p class="small" data-testid="requests-about">${WORDS.requestsAbout}</p>
            <ul class="plain entries" data-testid="requests">
              ${requests.map(
                (r) => html`<li data-request=${r.id}>
                  <span class="about">
                    <span class="asks">${WORDS.asks(r)}</span>
                    <span class="small" data-testid="from">${WORDS.from(r)}</span>
                    <span class="pairing-line">
                      <span class="pairing" data-testid="pairing">${r.pairing}</span>
                      <span class="small muted">${WORDS.pairingAbout}</span>
                    </span>
                    <span class="small muted">Asked ${ago(r.asked_at)}</span>
                  </span>
                  <yss-assistant-grants class="grants" .family=${this._family}
                    label="What ${r.client} may do"></yss-assistant-grants>
                  <span class="row">
                    <button class="primary" aria-label=${WORDS.answerLabel("Approve", r)} @click=${() => this._answer(r, "approve")}>Approve</button>
                    <button class="danger" aria-label=${WORDS.answerLabel("Deny", r)} @click=${() => this._answer(r, "deny")}>Deny</button>
                  </span>
                </li>`,
              )}
            </ul>`
      }
      <yss-alert data-testid="requests-error" .message=${this.#answer.error}></yss-alert>
    </section>`;
  }

  private _renderMake() {
    const made = this._made;
    return html`<section class="card" aria-labelledby="make">
      <h2 id="make">${WORDS.makeTitle}</h2>
      <p class="small muted">${WORDS.makeAbout}</p>
      <form @submit=${this._onMake}>
        <label class="field"><span class="small muted">${WORDS.nameLabel}</span>
          <input type="text" name="assistant" maxlength="60" autocomplete="off" .value=${this._name}
            @input=${(e: Event) => (this._name = (e.target as HTMLInputElement).value)} /></label>
        <yss-assistant-grants data-testid="make-grants" .family=${this._family}></yss-assistant-grants>
        <button class="primary" type="submit">${WORDS.makeButton}</button>
      </form>
      <yss-alert data-testid="make-error" .message=${this.#make.error}></yss-alert>
      ${
        made
          ? html`<div class="made" data-testid="made" role="group" tabindex="-1" aria-label="The token for ${made.assistant.name}">
              <yss-copy-text .text=${made.token} label="Copy the token for ${made.assistant.name}"></yss-copy-text>
              <p class="small" data-testid="shown-once">${WORDS.shownOnce}</p>
              <button @click=${this._onDone}>Done</button>
            </div>`
          : nothing
      }
    </section>`;
  }

  private _renderList(assistants: AssistantView[]) {
    return html`<section class="card" aria-labelledby="assistants">
      <h2 id="assistants">${WORDS.listTitle}</h2>
      ${
        assistants.length === 0
          ? html`<p class="small muted" data-testid="no-assistants">${WORDS.noAssistants}</p>`
          : html`<ul class="plain entries" data-testid="assistants">${assistants.map((a) => this._renderAssistant(a))}</ul>`
      }
      ${assistants.some((a) => a.kind === "oauth") ? html`<p class="small" data-testid="tick-in-agent">${WORDS.tickInAgent}</p>` : ""}
      <yss-alert data-testid="revoke-error" .message=${this.#revoke.error}></yss-alert>
    </section>`;
  }

  private _renderAssistant(a: AssistantView) {
    return html`<li data-assistant=${a.id}>
      <span class="about">
        <span class="name">${a.name}</span>
        <span class="small muted" data-testid="kind">${WORDS.kinds[a.kind]}</span>
        <span class="small" data-testid="grants">${grantsSaid(a)}</span>
        <span class="small muted" data-testid="made-at">Made ${ago(a.created_at)}</span>
        <span class="small muted" data-testid="used-at">Last used: ${a.last_used_at ? ago(a.last_used_at) : "never"}</span>
      </span>
      ${
        this._confirming === a.id
          ? html`<span class="confirm" role="group" aria-label="Revoke ${a.name}?">
              <span>${WORDS.revokeAsk(a)}</span>
              <span class="row">
                <button class="danger" data-testid="confirm-revoke" @click=${() => this._revokeIt(a)}>Yes, revoke</button>
                <button data-testid="keep" @click=${() => this._keep(a)}>Keep it</button>
              </span>
            </span>`
          : html`<button class="danger" data-revoke=${a.id} aria-label="Revoke ${a.name}" @click=${() => this._ask(a)}>Revoke</button>`
      }
    </li>`;
  }

  private async _answer(r: AssistantRequestView, answer: "approve" | "deny") {
    const ok = await this.#answer.run(async () => {
      // Approve gives what the row's controls say; deny gives nothing.
      const grants =
        answer === "approve"
          ? this.renderRoot.querySelector<YssAssistantGrants>(
              `li[data-request="${CSS.escape(r.id)}"] yss-assistant-grants`,
            )?.grants
          : undefined;
      await answerAssistantRequest(r.id, answer, grants);
      const l = this._list.value;
      if (l) this._list.set({...l, requests: l.requests.filter((x) => x.id !== r.id)});
    });
    // An answer that came too late: the list as the service has it now.
    if (!ok) this._list.reload();
  }

  private _onMake = async (e: Event) => {
    e.preventDefault();
    let made: AssistantMade | undefined;
    const ok = await this.#make.run(async () => {
      made = await makeAssistant(this._name.trim(), this.#makeGrants()?.grants ?? {read_only: false, children: []});
    });
    if (!ok || !made) return;
    this._made = made;
    this._name = "";
    this.#makeGrants()?.reset();
    this._list.reload();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(".made")?.focus();
  };

  #makeGrants(): YssAssistantGrants | null {
    return this.renderRoot.querySelector<YssAssistantGrants>('[data-testid="make-grants"]');
  }

  private _onDone = async () => {
    this._made = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>("form input")?.focus();
  };

  private async _ask(a: AssistantView) {
    this._confirming = a.id;
    await this.updateComplete;
    // Keep it, not Revoke, takes the focus: a second Enter must not revoke the assistant.
    this.renderRoot.querySelector<HTMLButtonElement>('[data-testid="keep"]')?.focus();
  }

  private async _keep(a: AssistantView) {
    this._confirming = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(`[data-revoke="${CSS.escape(a.id)}"]`)?.focus();
  }

  private async _revokeIt(a: AssistantView) {
    const ok = await this.#revoke.run(async () => {
      await revokeAssistant(a.id);
      const l = this._list.value;
      if (l) this._list.set({...l, assistants: l.assistants.filter((x) => x.id !== a.id)});
      this._confirming = undefined;
      if (this._made?.assistant.id === a.id) this._made = undefined;
    });
    if (!ok) {
      this._list.reload();
      return;
    }
    await this.updateComplete;
    // The row and its button are gone: the keyboard goes on from the name field.
    this.renderRoot.querySelector<HTMLInputElement>("form input")?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-assistants-view": YssAssistantsView;
  }
}
