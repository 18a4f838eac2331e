import {css, html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {messageOf} from "../components/format.js";
import {cloudLabel, linkLabel} from "../components/labels.js";
import {renderResource} from "../components/resource-view.js";
import "../components/yss-alert.js";
import "../components/yss-broker-login.js";
import {type AccountView, beginLink, completeLink, getAccount, unlink} from "../data/account.js";
import type {LiveEvents} from "../data/live.js";
import {LiveResource} from "../data/resource.js";
import {panelStyles} from "../styles.js";

/**
 * The Yoto account: its status, and linking it. Yoto sends the browser back to an address on the
 * person's own machine that does not load; they copy that address and paste it here.
 */
@customElement("yss-account-view")
export class YssAccountView extends LitElement {
  @property({attribute: false}) live?: LiveEvents;

  /** Where the link flow is: 0 not started, 1 sign-in open, 2 done. */
  @state() private _step = 0;
  @state() private _authorizeUrl?: string;
  @state() private _pasted = "";
  @state() private _error?: string;

  private _account = new LiveResource(this, {
    load: getAccount,
    live: () => this.live,
    reloadOn: ["account.changed", "cloud.stateChanged"],
  });

  static override styles = [
    panelStyles,
    css`
      yss-broker-login {
        display: block;
        margin-top: 16px;
      }
      ol.steps > li {
        margin-bottom: 12px;
      }
      ol.steps li[aria-current="step"] {
        font-weight: 500;
      }
      input[type="url"] {
        width: 100%;
      }
      a {
        color: var(--yss-primary);
        overflow-wrap: anywhere;
      }
      .missing {
        border-left: 4px solid var(--yss-warning);
        background: color-mix(in srgb, var(--yss-warning) 14%, transparent);
        border-radius: 8px;
        padding: 4px 12px;
        margin: 12px 0;
      }
      .missing li {
        margin-bottom: 8px;
        overflow-wrap: anywhere;
      }
      .missing p {
        margin: 2px 0;
      }
    `,
  ];

  override render() {
    return renderResource(
      this._account,
      (a) => html`<div class="card">
      <h2>Yoto account</h2>
      <dl>
        <dt>Status</dt><dd><span class="chip ${a.state === "linked" && !a.unsavedSince && !a.missingScopes ? "good" : "bad"}" data-testid="account-state">${linkLabel(a.state)}${a.unsavedSince ? " (login not saved)" : ""}${a.missingScopes ? " (scopes missing)" : ""}</span></dd>
        ${a.linkedAt ? html`<dt>Linked</dt><dd>${new Date(a.linkedAt).toLocaleString()}</dd>` : nothing}
        ${a.expiresAt ? html`<dt>Access until</dt><dd>${new Date(a.expiresAt).toLocaleString()} ${a.missingScopes?.some((m) => m.scope === "offline_access") ? "(not renewed: the link ends then)" : "(renewed by itself)"}</dd>` : nothing}
        <dt>Cloud</dt><dd data-testid="cloud-state">${cloudLabel(a.cloud)}</dd>
        ${a.reason ? html`<dt>Why</dt><dd>${a.reason}</dd>` : nothing}
      </dl>
      ${this._renderMissingScopes(a)}
      ${
        a.clientIdConfigured
          ? this._renderLink(a)
          : // The server says where the option is set: the add-on configuration, or a flag, env or file.
            html`<yss-alert .message=${`Linking needs a Yoto client id. ${a.clientIdHowTo ?? "Set 'yoto_client_id' first."}`}></yss-alert>`
      }
      <yss-alert .message=${this._error}></yss-alert>
    </div>
    <yss-broker-login></yss-broker-login>`,
    );
  }

  /**
   * Since June 2026 Yoto grants only the scopes ticked for the family's app, without an error for
   * the rest: each one left out, what stops working without it, and where to tick it.
   */
  private _renderMissingScopes(a: AccountView) {
    if (!a.missingScopes || a.missingScopes.length === 0) return nothing;
    return html`<section class="missing" data-testid="missing-scopes" aria-labelledby="missing-h">
      <h3 id="missing-h">Yoto left out some scopes</h3>
      <p>The link works only in part until these are ticked for your app and the account is linked again:</p>
      <ul>
        ${a.missingScopes.map(
          (m) => html`<li data-testid="missing-scope">
            <code>${m.scope}</code>
            <p>Stops working: ${m.lost}.</p>
            <p>${m.fix}.</p>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private _renderLink(a: AccountView) {
    const linked = a.state === "linked";
    if (linked && this._step === 0)
      return html`<div class="row">
        <button @click=${this._onBegin}>Link again</button>
        <button class="danger" @click=${this._onUnlink}>Unlink</button>
      </div>`;
    return html`<h3>Link your Yoto account</h3>
      <ol class="steps">
        <li aria-current=${this._step === 0 ? "step" : "false"}>
          Sign in to Yoto.
          ${
            this._step === 0
              ? html`<div><button class="primary" @click=${this._onBegin}>Start linking</button></div>`
              : html`<div><a href=${this._authorizeUrl ?? "#"} target="_blank" rel="noopener" data-testid="authorize">Open Yoto's sign-in page</a></div>`
          }
        </li>
        <li aria-current=${this._step === 1 ? "step" : "false"}>
          After you sign in, the browser goes to an address starting with
          <code>http://127.0.0.1:8787/callback</code> and shows an error: that is expected. Copy that address
          from the address bar and paste it here.
          ${
            this._step === 1
              ? html`<form @submit=${this._onComplete}>
                <input type="url" required placeholder="http://127.0.0.1:8787/callback?code=…" aria-label="Address after signing in"
                  .value=${this._pasted} @input=${(e: Event) => (this._pasted = (e.target as HTMLInputElement).value)} />
                <button class="primary" type="submit" ?disabled=${!this._pasted.trim()}>Finish linking</button>
              </form>`
              : nothing
          }
        </li>
        <li aria-current=${this._step === 2 ? "step" : "false"}>
          ${
            this._step !== 2
              ? "Done."
              : a.missingScopes
                ? html`<yss-alert type="info" message="Linked, but Yoto left out some scopes: see what stops working above."></yss-alert>`
                : html`<yss-alert type="success" message="Linked: your players appear in the Players tab."></yss-alert>`
          }
        </li>
      </ol>`;
  }

  private _onBegin = () =>
    this._act(async () => {
      const {authorizeUrl} = await beginLink();
      this._authorizeUrl = authorizeUrl;
      this._step = 1;
      window.open(authorizeUrl, "_blank", "noopener");
      // The button just pressed is gone: put the focus on the step that replaced it.
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[data-testid="authorize"]')?.focus();
    });

  private _onComplete = (e: Event) => {
    e.preventDefault();
    void this._act(async () => {
      const status = await completeLink(this._pasted.trim());
      const current = this._account.value;
      // Every key of the answer, including one it dropped (no scope missing any more).
      if (current) this._account.set({...current, ...status, missingScopes: status.missingScopes});
      this._pasted = "";
      this._step = 2;
    });
  };

  private _onUnlink = () => {
    if (!confirm("Unlink the Yoto account? Players disappear until it is linked again.")) return;
    void this._act(async () => {
      await unlink();
      this._step = 0;
      this._account.reload();
    });
  };

  private async _act(action: () => Promise<void>) {
    this._error = undefined;
    try {
      await action();
    } catch (err) {
      this._error = messageOf(err);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-account-view": YssAccountView;
  }
}
