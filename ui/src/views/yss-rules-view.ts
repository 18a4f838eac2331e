import {css, html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {live} from "lit/directives/live.js";
import {repeat} from "lit/directives/repeat.js";
import {messageOf, runResult} from "../components/format.js";
import {ruleModeLabel, triggerLabel} from "../components/labels.js";
import {renderResource} from "../components/resource-view.js";
import "../components/yss-alert.js";
import "../components/yss-rule-traces.js";
import {switchStyles} from "../components/switch-styles.js";
import type {LiveEvents} from "../data/live.js";
import {LiveResource} from "../data/resource.js";
import {getRules, type LoadError, type RuleStatus, reloadRules, runRule, setRuleEnabled} from "../data/rules.js";
import {panelStyles} from "../styles.js";

/** Rules as loaded: what failed to load and where, each rule's switch and last run, and its traces. */
@customElement("yss-rules-view")
export class YssRulesView extends LitElement {
  @property({attribute: false}) live?: LiveEvents;

  @state() private _error?: string;
  @state() private _notice?: string;
  @state() private _open = new Set<string>();

  private _rules = new LiveResource(this, {
    load: getRules,
    live: () => this.live,
    reloadOn: ["rules.changed", "rules.traced"],
  });

  static override styles = [
    panelStyles,
    switchStyles,
    css`
      .rule {
        border-bottom: 1px solid var(--yss-divider);
        padding: 10px 0;
      }
      .rule .row {
        justify-content: space-between;
      }
      /* The last run on the left, its buttons together on the right. */
      .rule .row.small > :first-child {
        flex: 1 1 auto;
      }
      .name {
        flex: 1 1 200px;
        min-width: 0;
      }
      code {
        overflow-wrap: anywhere;
      }
      .chip.from {
        margin-left: 6px;
      }
      .made {
        display: flex;
        flex-direction: column;
        align-items: flex-end;
        text-align: right;
      }
      .made a {
        color: var(--yss-primary);
      }
      .errors li {
        margin: 4px 0;
      }
    `,
  ];

  override render() {
    return renderResource(
      this._rules,
      ({rules, errors, timeZone}) => html`<div class="card">
      <div class="row" style="justify-content: space-between">
        <h2>Rules</h2>
        <div class="row">
          <span class="small muted">${rules.length} loaded · ${errors.length} errors · ${timeZone}</span>
          <button @click=${this._onReload}>Reload</button>
        </div>
      </div>
      <yss-alert type="success" .message=${this._notice}></yss-alert>
      <yss-alert .message=${this._error}></yss-alert>
      ${errors.length > 0 ? this._renderErrors(errors) : nothing}
      ${rules.length === 0 ? html`<p class="muted">No rules yet: add YAML files to the rules folder, then Reload.</p>` : nothing}
      ${repeat(
        rules,
        (rule) => rule.id,
        (rule) => this._renderRule(rule),
      )}
    </div>`,
    );
  }

  private _renderErrors(errors: LoadError[]) {
    return html`<section aria-label="Load errors">
      <yss-alert .message=${`${errors.length} problem${errors.length > 1 ? "s" : ""} in the rule files: fix them and Reload. Rules that loaded keep running.`}></yss-alert>
      <ul class="errors small">
        ${errors.map((e) => html`<li><code>${e.file}</code>, line ${e.line}: ${e.message}</li>`)}
      </ul>
    </section>`;
  }

  private _renderRule(rule: RuleStatus) {
    const open = this._open.has(rule.id);
    const last = rule.lastRun;
    return html`<div class="rule" data-rule=${rule.id}>
      <div class="row">
        <div class="name">
          <strong>${rule.alias}</strong>
          ${rule.from ? html`<span class="chip from" data-testid="rule-from">from the ${rule.from}</span>` : nothing}
          <div class="small muted">${rule.from ? nothing : html`<code>${rule.file}</code>, line ${rule.line} · `}on ${rule.triggers.map(triggerLabel).join(", ")} · ${ruleModeLabel(rule.mode)}</div>
          ${rule.description ? html`<div class="small">${rule.description}</div>` : nothing}
          ${rule.stale ? html`<div class="small" style="color: var(--yss-warning)">${rule.stale}</div>` : nothing}
        </div>
        ${rule.from ? this._renderMadeElsewhere(rule) : this._renderSwitch(rule)}
      </div>
      <div class="row small">
        ${
          last
            ? html`<span>Last run: <span class="chip ${last.result === "error" ? "bad" : last.result === "completed" ? "good" : ""}">${runResult(last.result)}</span>
              ${new Date(last.startedAt).toLocaleString()}</span>${last.error ? html`<span class="muted">${last.error}</span>` : nothing}`
            : html`<span class="muted">Not run yet</span>`
        }
        ${rule.running > 0 ? html`<span class="chip">Running</span>` : nothing}
        <button @click=${() => this._onRun(rule)}>Run now</button>
        <button aria-expanded=${open} @click=${() => this._toggleTraces(rule.id)}>${open ? "Hide runs" : "Show runs"}</button>
      </div>
      ${open ? html`<yss-rule-traces .ruleId=${rule.id} .live=${this.live}></yss-rule-traces>` : nothing}
    </div>`;
  }

  private _renderSwitch(rule: RuleStatus) {
    return html`<label class="switch">
      <input type="checkbox" role="switch" .checked=${live(rule.enabled)} aria-label="Enabled: ${rule.alias}"
        @change=${(e: Event) => this._onToggle(rule, (e.target as HTMLInputElement).checked)} />
      <span class="small">${rule.enabled ? "On" : "Off"}</span>
    </label>`;
  }

  /**
   * A rule the service made (the family plan's) has no switch: the service refuses one (409), and
   * it changes with what made it. Where that is, is said instead.
   */
  private _renderMadeElsewhere(rule: RuleStatus) {
    const page = rule.from === "family plan" ? html`<a href="#family">Family page</a>` : `${rule.from}`;
    return html`<div class="made small" data-testid="rule-read-only">
      <span>${rule.enabled ? "On" : "Off"}</span>
      <span class="muted">Changed on the ${page}</span>
    </div>`;
  }

  private async _onToggle(rule: RuleStatus, enabled: boolean) {
    await this._act(async () => {
      const updated = await setRuleEnabled(rule.id, enabled);
      const value = this._rules.value;
      if (value) this._rules.set({...value, rules: value.rules.map((r) => (r.id === rule.id ? updated : r))});
    });
  }

  private async _onRun(rule: RuleStatus) {
    await this._act(async () => {
      const {trace} = await runRule(rule.id);
      this._notice = !trace
        ? `'${rule.alias}' is queued behind a running one`
        : trace.result === "running"
          ? `'${rule.alias}' is running: its steps show below as they happen`
          : `'${rule.alias}' ran: ${runResult(trace.result)}`;
    });
  }

  private _onReload = () =>
    this._act(async () => {
      const result = await reloadRules();
      this._notice = `Reloaded: ${result.loaded} rules, ${result.failed} errors`;
      this._rules.reload();
    });

  private _toggleTraces(id: string) {
    const open = new Set(this._open);
    if (!open.delete(id)) open.add(id);
    this._open = open;
  }

  private async _act(action: () => Promise<void>) {
    this._error = undefined;
    this._notice = undefined;
    try {
      await action();
    } catch (err) {
      this._error = messageOf(err);
      this._rules.reload();
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-rules-view": YssRulesView;
  }
}
