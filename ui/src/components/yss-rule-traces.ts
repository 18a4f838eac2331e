import {css, html, LitElement, nothing} from "lit";
import {customElement, property} from "lit/decorators.js";
import type {LiveEvents} from "../data/live.js";
import {LiveResource} from "../data/resource.js";
import {getTraces, type Trace} from "../data/rules.js";
import {panelStyles} from "../styles.js";
import {elapsed, runResult, stepPlace} from "./format.js";
import {triggerLabel} from "./labels.js";
import {renderResource} from "./resource-view.js";

/** A rule's last runs, newest first: what triggered each, which conditions held, each step's time. */
@customElement("yss-rule-traces")
export class YssRuleTraces extends LitElement {
  @property() ruleId!: string;
  @property({attribute: false}) live?: LiveEvents;

  private _traces = new LiveResource(this, {
    load: () => getTraces(this.ruleId),
    live: () => this.live,
    patch: {"rules.traced": (value, {rule}) => (rule === this.ruleId ? "reload" : value)},
  });

  static override styles = [
    panelStyles,
    css`
      ol {
        margin: 6px 0;
        padding-left: 20px;
      }
      li {
        margin-bottom: 6px;
      }
      .steps {
        padding-left: 12px;
      }
    `,
  ];

  override render() {
    return renderResource(this._traces, ({traces}) =>
      traces.length === 0
        ? html`<p class="small muted">No runs yet.</p>`
        : html`<ol class="small" reversed aria-label="Runs">${traces.map((t) => this._renderTrace(t))}</ol>`,
    );
  }

  private _renderTrace(t: Trace) {
    return html`<li>
      ${new Date(t.startedAt).toLocaleTimeString()} · ${triggerLabel(t.trigger.type)}${namedTrigger(t) ? ` (${t.trigger.id})` : ""}
      → <span class="chip ${t.result === "error" ? "bad" : t.result === "completed" ? "good" : ""}">${runResult(t.result)}</span>
      ${t.ms !== undefined ? html`<span class="muted">${elapsed(t.ms)}</span>` : nothing}
      ${t.error ? html`<div class="muted">${t.error}</div>` : nothing}
      <div class="steps muted">
        ${t.conditions.map((c) => html`<div>condition ${c.index + 1} (${c.type}): ${c.result ? "passed" : "failed"}</div>`)}
        ${t.actions.map(
          (a, i) =>
            html`<div>${stepPlace(a.path)}: ${a.type} · ${
              t.result === "running" && i === t.actions.length - 1 ? "under way" : elapsed(a.ms)
            }${a.error ? html` · <b>${a.error}</b>` : nothing}</div>`,
        )}
      </div>
    </li>`;
  }
}

/** A trigger's own `id:` is worth showing; the index every unnamed trigger gets, or "manual", is not. */
function namedTrigger(t: Trace): boolean {
  const id = t.trigger.id;
  return Boolean(id) && id !== "manual" && !/^\d+$/.test(String(id));
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-rule-traces": YssRuleTraces;
  }
}
