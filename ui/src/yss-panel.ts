import {css, html, LitElement} from "lit";
import {customElement, state} from "lit/decorators.js";
import {EARLY_GETS, earlySettled} from "./data/early.js";
import {LiveEvents} from "./data/live.js";
import {within} from "./data/paint.js";
import {panelStyles} from "./styles.js";
import "./components/yss-alert.js";
import "./views/yss-players-view.js";

const VIEWS = [
  {id: "players", label: "Players"},
  {id: "family", label: "Family"},
  {id: "streams", label: "Streams"},
  {id: "library", label: "Library"},
  {id: "archive", label: "Archive"},
  {id: "rules", label: "Rules"},
  {id: "stories", label: "Stories"},
  {id: "voice", label: "Voice"},
  {id: "assistants", label: "Assistants"},
  {id: "history", label: "History"},
  {id: "logs", label: "Logs"},
  {id: "health", label: "Health"},
  {id: "account", label: "Account"},
] as const;
type ViewId = (typeof VIEWS)[number]["id"];

/** The other views' chunk, fetched once (again after a failure). */
let moreViews: Promise<unknown> | undefined;
function loadMoreViews(): Promise<unknown> {
  moreViews ??= import("./views/more-views.js").catch((err: unknown) => {
    moreViews = undefined;
    throw err;
  });
  return moreViews;
}

/** Longest the first render waits for the players once the code runs: then "Loading…" meanwhile. */
const FIRST_PAINT_WAIT_MS = 300;

const LIVE_LABELS = {connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…"};

/**
 * The panel: a tab per view, chosen by the URL's hash (so a view can be bookmarked and the back
 * button works under any ingress prefix), and one live event stream shared by every view.
 */
@customElement("yss-panel")
export class YssPanel extends LitElement {
  @state() private _view: ViewId = viewFromHash();
  @state() private _liveStatus = "connecting" as LiveEvents["status"];
  @state() private _live?: LiveEvents;
  /** The other views could not be fetched (the add-on was updated, or the link dropped). */
  @state() private _loadFailed = false;
  /** The other views are defined: only then are they rendered, so they get `live` as they connect. */
  @state() private _viewsLoaded = false;
  private _prefetch?: number;

  static override styles = [
    panelStyles,
    css`
      :host {
        display: block;
        min-height: 100vh;
        background: var(--yss-bg);
      }
      header {
        display: flex;
        align-items: center;
        gap: 12px;
        padding: 12px 16px 0;
      }
      h1 {
        font-size: 20px;
        font-weight: 400;
        margin: 0;
        flex: 1;
      }
      /* Every tab in sight: on a phone they wrap onto a second row rather than hide off-screen. */
      nav {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        padding: 8px 12px;
        border-bottom: 1px solid var(--yss-divider);
      }
      nav a {
        padding: 8px 12px;
        border-radius: 18px;
        color: var(--yss-text);
        text-decoration: none;
        white-space: nowrap;
      }
      nav a[aria-current="page"] {
        background: color-mix(in srgb, var(--yss-primary) 18%, transparent);
        color: var(--yss-primary);
        font-weight: 500;
      }
      main {
        padding: 16px;
        max-width: 1280px;
        margin: 0 auto;
      }
      .status.live {
        color: var(--yss-success);
      }
      .status:not(.live) {
        color: var(--yss-warning);
      }
      @media (max-width: 480px) {
        main {
          padding: 12px 8px;
        }
      }
    `,
  ];

  /**
   * The first render waits (briefly) for what was asked for at page load, so the first frame
   * painted is the players rather than a "Loading…" frame that is laid out and painted first.
   */
  protected override async scheduleUpdate(): Promise<void> {
    if (!this.hasUpdated) await within(Promise.all(EARLY_GETS.map(earlySettled)), FIRST_PAINT_WAIT_MS);
    await super.scheduleUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this._live = new LiveEvents();
    this._live.addEventListener("status", this._onLiveStatus);
    window.addEventListener("hashchange", this._onHashChange);
    if (this._view !== "players") this._loadViews();
    // On Players, fetch the rest once the first view has had the network to itself.
    else this._prefetch = window.setTimeout(() => this._loadViews(), 1500);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._live?.removeEventListener("status", this._onLiveStatus);
    this._live?.close();
    window.removeEventListener("hashchange", this._onHashChange);
    window.clearTimeout(this._prefetch);
  }

  override render() {
    return html`<header>
        <h1>Yoto Smart Stream</h1>
        <span class="status small ${this._liveStatus}" role="status">${LIVE_LABELS[this._liveStatus]}</span>
      </header>
      <nav aria-label="Views">
        ${VIEWS.map(
          (v) => html`<a href="#${v.id}" aria-current=${v.id === this._view ? "page" : "false"}>${v.label}</a>`,
        )}
      </nav>
      <main>
        ${
          this._view === "players" || this._viewsLoaded
            ? this._renderView()
            : this._loadFailed
              ? html`<yss-alert
                  message="This view could not be loaded: check the connection to Home Assistant, then reload the panel."
                  ><button @click=${() => location.reload()}>Reload</button></yss-alert
                >`
              : html`<p class="muted" role="status">Loading…</p>`
        }
      </main>`;
  }

  private _renderView() {
    const live = this._live;
    switch (this._view) {
      case "players":
        return html`<yss-players-view .live=${live}></yss-players-view>`;
      case "family":
        return html`<yss-family-view .live=${live}></yss-family-view>`;
      case "streams":
        return html`<yss-streams-view .live=${live}></yss-streams-view>`;
      case "library":
        return html`<yss-library-view .live=${live}></yss-library-view>`;
      case "archive":
        return html`<yss-archive-view .live=${live}></yss-archive-view>`;
      case "rules":
        return html`<yss-rules-view .live=${live}></yss-rules-view>`;
      case "stories":
        return html`<yss-stories-view .live=${live}></yss-stories-view>`;
      case "account":
        return html`<yss-account-view .live=${live}></yss-account-view>`;
      case "voice":
        return html`<yss-voice-view .live=${live}></yss-voice-view>`;
      case "assistants":
        return html`<yss-assistants-view .live=${live}></yss-assistants-view>`;
      case "history":
        return html`<yss-history-view .live=${live}></yss-history-view>`;
      case "logs":
        return html`<yss-logs-view .live=${live}></yss-logs-view>`;
      case "health":
        return html`<yss-health-view .live=${live}></yss-health-view>`;
    }
  }

  private _onHashChange = () => {
    this._view = viewFromHash();
    if (this._view !== "players") this._loadViews();
  };

  /** Views render as soon as their element is defined; until then their tag is an empty box. */
  private _loadViews(): void {
    loadMoreViews().then(
      () => {
        this._loadFailed = false;
        this._viewsLoaded = true;
      },
      () => {
        this._loadFailed = true;
      },
    );
  }

  private _onLiveStatus = () => {
    this._liveStatus = this._live?.status ?? "connecting";
  };
}

function viewFromHash(): ViewId {
  const id = location.hash.replace(/^#\/?/, "");
  return VIEWS.find((v) => v.id === id)?.id ?? "players";
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-panel": YssPanel;
  }
}
