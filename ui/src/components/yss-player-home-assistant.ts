import {css, html, LitElement, nothing} from "lit";
import {customElement, property} from "lit/decorators.js";
import {live} from "lit/directives/live.js";
import type {Exposure, UpnpStatus} from "../../../src/shared/api/index.js";
import {Action} from "../controllers/action.js";
import {getExposure, getUpnpStatus, setExposure} from "../data/players.js";
import {LiveResource} from "../data/resource.js";
import {panelStyles} from "../styles.js";
import {ago, plural} from "./format.js";
import {renderResource} from "./resource-view.js";
import {switchStyles} from "./switch-styles.js";
import "./yss-alert.js";

const SWITCHES: Array<{key: keyof Exposure; label: string}> = [
  {key: "media_player", label: "Media player (HACS MQTT Media Player)"},
  {key: "upnp", label: "DLNA renderer (Home Assistant's built-in DLNA integration, Music Assistant, any UPnP app)"},
];

/**
 * A player's ways into Home Assistant, in its details: a switch each for the MQTT media player and
 * the DLNA renderer, saved at once (a refused save puts the switch back and says why), and under
 * the renderer's switch how control points see it and its description's address. With the upnp
 * option off the renderer's switch is off and fixed. A service without renderers shows no status.
 */
@customElement("yss-player-home-assistant")
export class YssPlayerHomeAssistant extends LitElement {
  @property() playerId = "";

  private _exposure = new LiveResource(this, {load: () => getExposure(this.playerId), live: () => undefined});
  // Wrapped: a service without renderers answers undefined, which a resource would take for "not loaded".
  private _upnp = new LiveResource(this, {
    load: async () => ({status: await getUpnpStatus()}),
    live: () => undefined,
  });
  readonly #save = new Action(this);

  static override styles = [
    panelStyles,
    switchStyles,
    css`
      :host {
        display: block;
      }
      h3 {
        margin-top: 8px;
      }
      .switch {
        display: flex;
        min-width: 0;
      }
      .seen {
        margin: 0 0 4px 48px;
        padding: 0;
        list-style: none;
        overflow-wrap: anywhere;
      }
      .switch input:disabled {
        cursor: not-allowed;
        opacity: 0.5;
      }
      /* Copied by hand into a control point, so one click takes the whole address. */
      .location {
        user-select: all;
      }
    `,
  ];

  override render() {
    return html`<section aria-label="Home Assistant">
      <h3>Home Assistant</h3>
      ${renderResource(
        this._exposure,
        (exposure) => html`${SWITCHES.map(({key, label}) => {
          // With the upnp option off no player is a renderer, whatever its own switch says: shown
          // off and fixed, with the note saying which option turns them on.
          const optionOff = key === "upnp" && this._upnp.value?.status?.enabled === false;
          return html`<label class="switch small">
              <input type="checkbox" role="switch" data-switch=${key} .checked=${live(exposure[key] && !optionOff)}
                ?disabled=${optionOff}
                @change=${(e: Event) => void this._set(key, (e.target as HTMLInputElement).checked)} />
              <span>${label}</span>
            </label>
            ${key === "upnp" && (exposure.upnp || optionOff) ? this._renderSeen() : nothing}`;
        })}
        <yss-alert .message=${this.#save.error}></yss-alert>`,
      )}
    </section>`;
  }

  /** How the renderer is seen; nothing while unknown (not loaded, or a service without renderers). */
  private _renderSeen() {
    const status: UpnpStatus | undefined = this._upnp.value?.status;
    if (!status)
      return this._upnp.error
        ? html`<ul class="seen small muted" data-testid="upnp-seen"><li>${this._upnp.error.message}</li></ul>`
        : nothing;
    if (!status.enabled)
      return html`<ul class="seen small muted" data-testid="upnp-seen"><li>DLNA renderers are turned off (option upnp)</li></ul>`;
    const renderer = status.renderers.find((r) => r.player_id === this.playerId);
    const seen = renderer?.seen_by ?? [];
    return html`<ul class="seen small muted" data-testid="upnp-seen">
      ${
        seen.length
          ? seen.map((s) => html`<li>Found by ${s.address}, ${ago(s.at)}</li>`)
          : html`<li>Not seen by any control point yet</li>`
      }
      ${renderer?.subscribers ? html`<li>${plural(renderer.subscribers, "subscriber")}</li>` : nothing}
      ${renderer?.last_action ? html`<li>Last action: ${renderer.last_action.name}, ${ago(renderer.last_action.at)}</li>` : nothing}
    </ul>
    ${
      // For a control point that finds no renderer by itself (another network, SSDP blocked): an
      // add-on's parent cannot reach the admin API that also lists it, so the panel shows it.
      renderer?.enabled
        ? html`<p class="seen small muted" data-testid="upnp-location">
            Address for adding it by hand: <span class="location">${renderer.location}</span>
          </p>`
        : nothing
    }`;
  }

  private async _set(key: keyof Exposure, on: boolean) {
    // A refused save re-renders with the saved value, so the switch goes back to what is in force.
    const saved = await this.#save.runAlongside(async () =>
      this._exposure.set(await setExposure(this.playerId, {[key]: on})),
    );
    if (saved && key === "upnp") this._upnp.reload();
    this.requestUpdate();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-player-home-assistant": YssPlayerHomeAssistant;
  }
}
