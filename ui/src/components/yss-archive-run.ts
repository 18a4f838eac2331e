import {css, html, LitElement, nothing} from "lit";
import {customElement, property, state} from "lit/decorators.js";
import {styleMap} from "lit/directives/style-map.js";
import {type ArchiveOverview, type ArchiveRun, runArchive} from "../data/archive.js";
import {ApiError} from "../data/http.js";
import {panelStyles} from "../styles.js";
import {ago, fileSize, messageOf, plural} from "./format.js";
import {label} from "./labels.js";
import "./yss-alert.js";

const runStateLabel = label<ArchiveRun["state"]>({
  running: "Running",
  done: "Done",
  partial: "Done, with problems",
  failed: "Failed",
});

const triggerLabel = label<ArchiveRun["trigger"]>({nightly: "nightly run", manual: "started here"});

/**
 * The archive's header: what it holds, when it runs, an "Archive now" button, the run under way
 * (cards done of all, the card being fetched, bytes downloaded) or else how the last run went and
 * what it found changed.
 *
 * @fires run-started - after "Archive now" started a run (detail: the run), or found one running
 */
@customElement("yss-archive-run")
export class YssArchiveRun extends LitElement {
  @property({attribute: false}) overview!: ArchiveOverview;

  @state() private _starting = false;
  @state() private _error?: string;
  @state() private _info?: string;

  static override styles = [
    panelStyles,
    css`
      .top {
        justify-content: space-between;
      }
      p {
        margin: 4px 0;
      }
      .bar {
        height: 10px;
        border-radius: 5px;
        background: color-mix(in srgb, var(--yss-primary) 15%, transparent);
        overflow: hidden;
        margin: 6px 0;
      }
      .bar > div {
        height: 100%;
        background: var(--yss-primary);
        transition: width 0.3s ease;
      }
      .bar.thin {
        height: 6px;
      }
      .bar.unknown > div {
        width: 30%;
        opacity: 0.5;
      }
      ul {
        margin: 4px 0;
        padding-left: 20px;
      }
      li {
        overflow-wrap: anywhere;
      }
      .note {
        max-width: 75ch;
        margin-top: 8px;
      }
    `,
  ];

  override render() {
    const o = this.overview;
    const running = o.running?.state === "running" ? o.running : undefined;
    const busy = Boolean(running) || this._starting;
    // A run that just ended may still be in `running` until the next read.
    const last = running ? undefined : (o.lastRun ?? o.running);
    return html`<section class="card" aria-labelledby="archive-title">
      <div class="row top">
        <h2 id="archive-title">Archive</h2>
        <button class="primary" aria-disabled=${busy ? "true" : "false"} @click=${this._onRun}>
          ${running ? "Archiving…" : this._starting ? "Starting…" : "Archive now"}
        </button>
      </div>
      <p data-testid="archive-totals">
        ${plural(o.cards.length, "card")} · ${fileSize(o.totalBytes)} in ${plural(o.files, "file")}
      </p>
      <p class="small muted" data-testid="archive-schedule">
        ${o.nightlyAt ? `Archived every night at ${o.nightlyAt}` : "Nightly archive: off"}${
          o.nextRunAt ? ` · next run ${new Date(o.nextRunAt).toLocaleString()}` : ""
        }
      </p>
      <yss-alert .message=${this._error}></yss-alert>
      <yss-alert type="info" .message=${this._info}></yss-alert>
      ${running ? this._renderProgress(running) : last ? this._renderLast(last) : nothing}
      <p class="small muted note" data-testid="not-archived">${o.notArchived}</p>
    </section>`;
  }

  private _renderProgress(run: ArchiveRun) {
    const {done, total} = run.cards;
    const current = run.current;
    return html`<div data-testid="archive-progress">
      <div class="bar ${total ? "" : "unknown"}" role="progressbar" aria-label="Cards archived" aria-valuemin="0"
        aria-valuemax=${total || nothing} aria-valuenow=${total ? done : nothing}
        aria-valuetext=${total ? `${done} of ${total} cards` : "Reading the account's cards"}>
        <div style=${styleMap(total ? {width: `${(100 * done) / total}%`} : {})}></div>
      </div>
      <p class="small">
        ${total ? `${done} of ${plural(total, "card")}` : "Reading the account's cards…"} ·
        ${fileSize(run.downloaded.bytes)} downloaded (${plural(run.downloaded.files, "file")})
      </p>
      ${
        current
          ? html`<p class="small" data-testid="archive-current">
                Now: ${current.title} – ${fileSize(current.bytesDone)} of ${fileSize(current.bytesTotal)}
              </p>
              <div class="bar thin" role="progressbar" aria-label="This card's files" aria-valuemin="0"
                aria-valuemax=${current.bytesTotal} aria-valuenow=${Math.min(current.bytesDone, current.bytesTotal)}
                aria-valuetext="${fileSize(current.bytesDone)} of ${fileSize(current.bytesTotal)}">
                <div style=${styleMap({width: `${current.bytesTotal ? (100 * current.bytesDone) / current.bytesTotal : 0}%`})}></div>
              </div>`
          : nothing
      }
    </div>`;
  }

  private _renderLast(run: ArchiveRun) {
    const chip = run.state === "done" ? "good" : "bad";
    return html`<div data-testid="last-run">
      <h3>Last run</h3>
      <p>
        <span class="chip ${chip}" data-testid="last-run-state">${runStateLabel(run.state)}</span>
        <span class="small">${triggerLabel(run.trigger)}, ${ago(run.finishedAt ?? run.startedAt)} ·
          ${plural(run.cards.done, "card")} looked at · ${fileSize(run.downloaded.bytes)} downloaded</span>
      </p>
      ${run.error ? html`<yss-alert .message=${run.error}></yss-alert>` : nothing}
      ${
        run.problems.length
          ? html`<p class="small">Not archived this time (the copy from before is kept):</p>
              <ul class="small" data-testid="run-problems">
                ${run.problems.map((p) => html`<li><strong>${p.title}</strong>: ${p.message}</li>`)}
              </ul>`
          : nothing
      }
      ${
        run.changes.length
          ? html`<p class="small">Changes found:</p>
              <ul class="small" aria-label="Changes found" data-testid="run-changes">
              ${run.changes.map((c) => html`<li><strong>${c.title}</strong>: ${c.summary}</li>`)}
            </ul>`
          : html`<p class="small muted">No changes since the run before.</p>`
      }
    </div>`;
  }

  private _onRun = async () => {
    if (this._starting || this.overview.running?.state === "running") return;
    this._starting = true;
    this._error = this._info = undefined;
    try {
      const {run} = await runArchive();
      this.dispatchEvent(new CustomEvent("run-started", {detail: run, bubbles: true, composed: true}));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        // Someone else (the nightly run, another tab) got there first: its progress is shown instead.
        this._info = "A run is already under way: its progress is shown here.";
        this.dispatchEvent(new CustomEvent("run-started", {detail: undefined, bubbles: true, composed: true}));
      } else this._error = messageOf(err);
    } finally {
      this._starting = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-archive-run": YssArchiveRun;
  }
}
