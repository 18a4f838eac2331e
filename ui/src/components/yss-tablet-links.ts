import {html, LitElement, nothing, type PropertyValues} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {Action} from "../controllers/action.js";
import {
  type DeviceLinkMade,
  type DeviceLinkView,
  getChildDevices,
  getDevices,
  makeDeviceLink,
  removeParentPin,
  revokeDeviceLink,
  setParentPin,
  tabletBase,
} from "../data/devices.js";
import {panelStyles} from "../styles.js";
import {ago} from "./format.js";
import {madeCredentialStyles, tabletLinksStyles} from "./tablet-links-styles.js";
import "./yss-alert.js";
import "./yss-copy-text.js";

const PIN = /^\d{4,8}$/;

/**
 * A child's tablets, in the child's card: the links made for the child's page (name, when made,
 * when last used; Revoke asks once more), and "Make a tablet link", whose answer shows the QR code
 * and the address once: the service keeps only the credential's hash.
 */
@customElement("yss-tablet-links")
export class YssTabletLinks extends LitElement {
  /** The child's name, as the family plan spells it. */
  @property() child = "";

  @state() private _links?: DeviceLinkView[];
  @state() private _name = "";
  @state() private _made?: DeviceLinkMade;
  @state() private _confirming?: string;
  readonly #action = new Action(this);

  static override styles = [panelStyles, madeCredentialStyles, tabletLinksStyles];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has("child")) return;
    this._name = `${this.child}'s tablet`;
    this._made = undefined;
    this._confirming = undefined;
    void this.#action.attempt(() => this._load());
  }

  private async _load() {
    const child = this.child;
    const {links} = await getChildDevices(child);
    if (child === this.child) this._links = links;
  }

  override render() {
    const links = this._links;
    return html`<section aria-labelledby="tablets">
      <h3 id="tablets">Tablets</h3>
      ${
        links === undefined
          ? html`<p class="small muted" aria-busy=${this.#action.error ? "false" : "true"}>${this.#action.error ? "" : "Loading…"}</p>`
          : links.length === 0
            ? html`<p class="small muted" data-testid="no-tablets">No tablet links yet.</p>`
            : html`<ul class="plain links" data-testid="tablet-links">${links.map((l) => this._renderLink(l))}</ul>`
      }
      <yss-alert .message=${this.#action.error}></yss-alert>
      <form @submit=${this._onMake}>
        <label class="field"><span class="small muted">Tablet's name</span>
          <input type="text" name="tablet" maxlength="40" autocomplete="off" .value=${this._name}
            @input=${(e: Event) => (this._name = (e.target as HTMLInputElement).value)} /></label>
        <button class="primary" type="submit">Make a tablet link</button>
      </form>
      ${this._made ? this._renderMade(this._made) : nothing}
    </section>`;
  }

  private _renderLink(l: DeviceLinkView) {
    const confirming = this._confirming === l.id;
    return html`<li data-link=${l.id}>
      <span class="about">
        <span class="name">${l.name}</span>
        <span class="small muted" data-testid="made-at">Made ${ago(l.created_at)}</span>
        <span class="small muted" data-testid="used-at">Last used: ${l.last_used_at ? ago(l.last_used_at) : "never"}</span>
      </span>
      ${
        confirming
          ? html`<span class="confirm" role="group" aria-label="Revoke ${l.name}?">
              <span>Revoke ${l.name}? That tablet can no longer open ${l.child}'s page.</span>
              <span class="row">
                <button class="danger" data-testid="confirm-revoke" @click=${() => this._revoke(l)}>Yes, revoke</button>
                <button data-testid="keep" @click=${() => this._keep(l)}>Keep it</button>
              </span>
            </span>`
          : html`<button class="danger" data-revoke=${l.id} aria-label="Revoke ${l.name}" @click=${() => this._ask(l)}>Revoke</button>`
      }
    </li>`;
  }

  /** The QR code is the service's own SVG, shown as an image: nothing in it can run or reach the page. */
  private _renderMade(made: DeviceLinkMade) {
    const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(made.qr_svg)}`;
    return html`<div class="made" data-testid="made" role="group" tabindex="-1" aria-label="The link for ${made.link.name}">
      <img src=${src} alt="QR code of the link for ${made.link.name}" width="200" height="200" />
      <yss-copy-text .text=${made.url} label="Copy the link for ${made.link.name}"></yss-copy-text>
      <p class="small">Open this on the child's tablet (scan the code, or type the link). It is shown only now: make a new one if it is lost.</p>
      <button @click=${this._onDone}>Done</button>
    </div>`;
  }

  private _onMake = async (e: Event) => {
    e.preventDefault();
    const name = this._name.trim();
    let made: DeviceLinkMade | undefined;
    const ok = await this.#action.run(async () => {
      const {panel_port} = await getDevices();
      made = await makeDeviceLink(this.child, name, tabletBase(panel_port));
      await this._load();
    });
    if (!ok || !made) return;
    this._made = made;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(".made")?.focus();
  };

  private _onDone = async () => {
    this._made = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>("form input")?.focus();
  };

  private async _ask(l: DeviceLinkView) {
    this._confirming = l.id;
    await this.updateComplete;
    // Keep it, not Revoke, takes the focus: a second Enter must not revoke the link.
    this.renderRoot.querySelector<HTMLButtonElement>('[data-testid="keep"]')?.focus();
  }

  private async _keep(l: DeviceLinkView) {
    this._confirming = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>(`[data-revoke="${CSS.escape(l.id)}"]`)?.focus();
  }

  private async _revoke(l: DeviceLinkView) {
    const ok = await this.#action.run(async () => {
      await revokeDeviceLink(l.id);
      this._links = this._links?.filter((x) => x.id !== l.id);
      this._confirming = undefined;
      if (this._made?.link.id === l.id) this._made = undefined;
      await this._load();
    });
    if (!ok) return;
    await this.updateComplete;
    // The row and its button are gone: the keyboard goes on from the name field.
    this.renderRoot.querySelector<HTMLInputElement>("form input")?.focus();
  }
}

/**
 * The family's parent PIN: a locked tablet asks for it before it lets go of its child. Set, changed
 * or removed here; the service keeps only its hash, so the page says only whether one is set.
 */
@customElement("yss-parent-pin")
export class YssParentPin extends LitElement {
  @state() private _set?: boolean;
  @state() private _pin = "";
  @state() private _said = "";
  readonly #action = new Action(this);

  static override styles = [panelStyles, madeCredentialStyles, tabletLinksStyles];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#action.attempt(async () => {
      this._set = (await getDevices()).pin_set;
    });
  }

  override render() {
    const set = this._set;
    return html`<section class="card" aria-labelledby="pin">
      <h2 id="pin">Parent PIN</h2>
      <p class="small muted">A locked tablet asks for it before it lets go of its child.</p>
      <p data-testid="pin-state">${set === undefined ? "" : set ? "A parent PIN is set." : "No parent PIN is set."}</p>
      <form @submit=${this._onSet}>
        <label class="field"><span class="small muted">${set ? "New PIN (4 to 8 digits)" : "PIN (4 to 8 digits)"}</span>
          <input type="password" inputmode="numeric" autocomplete="new-password" maxlength="8" name="pin"
            aria-invalid=${this.#action.error && this._pin && !PIN.test(this._pin) ? "true" : "false"}
            .value=${this._pin} @input=${(e: Event) => (this._pin = (e.target as HTMLInputElement).value)} /></label>
        <button class="primary" type="submit">${set ? "Change PIN" : "Set PIN"}</button>
        ${set ? html`<button type="button" class="danger" @click=${this._onRemove}>Remove PIN</button>` : nothing}
      </form>
      <yss-alert .message=${this.#action.error}></yss-alert>
      <yss-alert type="success" .message=${this._said || undefined}></yss-alert>
    </section>`;
  }

  private _onSet = async (e: Event) => {
    e.preventDefault();
    this._said = "";
    const pin = this._pin.trim();
    if (!PIN.test(pin)) {
      this.#action.fail("The parent PIN is 4 to 8 digits.");
      return;
    }
    const was = this._set;
    await this.#action.run(async () => {
      this._set = (await setParentPin(pin)).pin_set;
      this._pin = "";
      this._said = was ? "The parent PIN was changed." : "The parent PIN was set.";
    });
  };

  private _onRemove = async () => {
    this._said = "";
    await this.#action.run(async () => {
      this._set = (await removeParentPin()).pin_set;
      this._pin = "";
      this._said = "The parent PIN was removed.";
    });
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>("form input")?.focus();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-tablet-links": YssTabletLinks;
    "yss-parent-pin": YssParentPin;
  }
}
