import {html, LitElement, nothing} from "lit";
import {customElement, state} from "lit/decorators.js";
import {getBroker} from "../data/mqtt.js";
import {LiveResource} from "../data/resource.js";
import {panelStyles} from "../styles.js";
import {renderResource} from "./resource-view.js";

const KIND_LABELS = {embedded: "Built-in broker", external: "Your broker", none: "None"} as const;

/**
 * Which MQTT broker the add-on uses. The built-in one takes no anonymous clients, so a family
 * pointing Home Assistant's MQTT integration at it needs its login: shown here, hidden until asked.
 */
@customElement("yss-broker-login")
export class YssBrokerLogin extends LitElement {
  @state() private _reveal = false;

  // The broker is chosen at start and does not change while the panel is open: no live reloads.
  private _broker = new LiveResource(this, {load: getBroker, live: () => undefined});

  static override styles = panelStyles;

  override render() {
    return renderResource(
      this._broker,
      (b) => html`<div class="card">
        <h2>MQTT</h2>
        <dl>
          <dt>Broker</dt><dd data-testid="broker-kind">${KIND_LABELS[b.kind]}</dd>
          ${b.kind === "embedded" && b.port ? html`<dt>Port</dt><dd>${b.port}</dd>` : nothing}
          ${b.login ? this._renderLogin(b.login) : nothing}
        </dl>
        ${
          b.login
            ? html`<p class="muted">To connect Home Assistant's MQTT integration to the built-in broker, use this
              machine's address, the port above and this login (MQTT 5 or 3.1.1 both work).</p>`
            : nothing
        }
      </div>`,
    );
  }

  private _renderLogin(login: {username: string; password?: string; source: string}) {
    const password =
      login.password === undefined
        ? html`the one set in the add-on's options`
        : this._reveal
          ? html`<code data-testid="broker-password">${login.password}</code>`
          : html`<button @click=${() => (this._reveal = true)}>Show password</button>`;
    return html`<dt>Username</dt><dd><code data-testid="broker-username">${login.username}</code></dd>
      <dt>Password</dt><dd>${password}</dd>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-broker-login": YssBrokerLogin;
  }
}
