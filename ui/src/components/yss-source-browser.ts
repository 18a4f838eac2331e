import {mdiFolderOutline, mdiPlus} from "@mdi/js";
import {css, html, LitElement, nothing} from "lit";
import {customElement, state} from "lit/decorators.js";
import {live} from "lit/directives/live.js";
import {Action} from "../controllers/action.js";
import {addSource, browseSource, getSources, type MediaServer, type SourceItem} from "../data/sources.js";
import {panelStyles} from "../styles.js";
import {duration, messageOf} from "./format.js";
import {mdi} from "./mdi.js";
import "./yss-alert.js";

/** How many entries one page of a folder shows; a bigger folder says how many more it holds. */
const PAGE = 100;

/**
 * The home media server as a library: pick a server, walk its folders (a trail back up), search
 * where the server can, and add a track or a whole folder (an album, an audiobook) to the queue.
 * A server added by its description address is kept by the service.
 *
 * @fires ref-picked - `{ref, title}`: the user chose this track or folder
 */
@customElement("yss-source-browser")
export class YssSourceBrowser extends LitElement {
  @state() private _servers?: MediaServer[];
  @state() private _server?: MediaServer;
  /** The folders walked into, root first: the last is shown. */
  @state() private _trail: Array<{id: string; title: string; ref: string}> = [];
  @state() private _items: SourceItem[] = [];
  @state() private _total = 0;
  @state() private _query = "";
  @state() private _url = "";
  /** Adding a server; its error line also says why the servers or a folder could not be read. */
  readonly #action = new Action(this);
  private _asked = 0;

  static override styles = [
    panelStyles,
    css`
      :host {
        display: block;
      }
      .trail button {
        min-height: 32px;
        padding: 2px 8px;
      }
      li span.title {
        flex: 1;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      input {
        width: 100%;
        margin: 6px 0;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this._loadServers();
  }

  override render() {
    return html`${this._server ? this._renderServer(this._server) : this._renderServers()}
      <yss-alert .message=${this.#action.error}></yss-alert>`;
  }

  private _renderServers() {
    const servers = this._servers;
    return html`${
      servers === undefined
        ? html`<p class="small muted">Looking for media servers…</p>`
        : servers.length === 0
          ? html`<p class="small muted">No media server found on the home network. Add one by the address of its description document (its UPnP "rootDesc" or "description.xml").</p>`
          : html`<ul class="plain" aria-label="Media servers">
              ${servers.map(
                (s) => html`<li class="row">
                  <button @click=${() => this._open(s)}>${s.name}</button>
                  ${s.state === "ok" ? nothing : html`<span class="chip bad">not answering</span>`}
                </li>`,
              )}
            </ul>`
    }
      <form @submit=${this._onAdd} novalidate>
        <input type="url" aria-label="Media server address" placeholder="http://nas.local:8200/rootDesc.xml"
          .value=${live(this._url)} @input=${(e: Event) => (this._url = (e.target as HTMLInputElement).value.trim())} />
        <button type="submit" ?disabled=${!this._url || this.#action.busy}>Add media server</button>
      </form>`;
  }

  private _renderServer(server: MediaServer) {
    const folder = this._trail[this._trail.length - 1];
    return html`<div class="row trail" aria-label="Folders">
        <button @click=${() => (this._server = undefined)}>Servers</button>
        ${this._trail.map(
          (f, i) => html`› <button @click=${() => this._walkTo(i)}>${i === 0 ? server.name : f.title}</button>`,
        )}
      </div>
      ${
        server.search
          ? html`<input type="search" aria-label="Search ${server.name}" placeholder="Search ${server.name}"
              .value=${live(this._query)} @change=${this._onSearch} />`
          : nothing
      }
      ${
        folder && this._trail.length > 1 && !this._query
          ? html`<button @click=${() => this._pick(folder.ref, folder.title)}>${mdi(mdiPlus, 18)} Add all of '${folder.title}'</button>`
          : nothing
      }
      <ul class="plain" aria-label="Media server entries">
        ${this._items.map((item) =>
          item.kind === "folder"
            ? html`<li class="row">
                <button class="icon" aria-label="Add all of ${item.title}" @click=${() => this._pick(item.ref, item.title)}>${mdi(mdiPlus, 20)}</button>
                <button @click=${() => this._enter(item)}>${mdi(mdiFolderOutline, 18)} ${item.title}</button>
              </li>`
            : html`<li class="row">
                <button class="icon" aria-label="Add ${item.title}" @click=${() => this._pick(item.ref, item.title)}>${mdi(mdiPlus, 20)}</button>
                <span class="title">${item.title}</span>
                <span class="small muted">${item.artist ?? ""} ${duration(item.duration ?? undefined)}</span>
              </li>`,
        )}
      </ul>
      ${this._total > this._items.length ? html`<p class="small muted">Showing ${this._items.length} of ${this._total}.</p>` : nothing}`;
  }

  private async _loadServers() {
    await this.#action.attempt(async () => {
      this._servers = (await getSources()).servers;
    });
  }

  private _open(server: MediaServer) {
    this._server = server;
    this._query = "";
    this._trail = [{id: "0", title: server.name, ref: ""}];
    void this._load({object: "0"});
  }

  private _enter(item: SourceItem) {
    this._trail = [...this._trail, {id: item.id, title: item.title, ref: item.ref}];
    this._query = "";
    void this._load({object: item.id});
  }

  private _walkTo(index: number) {
    this._trail = this._trail.slice(0, index + 1);
    this._query = "";
    void this._load({object: this._trail[index]?.id});
  }

  private _onSearch(e: Event) {
    this._query = (e.target as HTMLInputElement).value.trim();
    const folder = this._trail[this._trail.length - 1];
    void this._load(this._query ? {q: this._query} : {object: folder?.id});
  }

  private async _load(query: {object?: string; q?: string}) {
    const server = this._server;
    if (!server) return;
    const asked = ++this._asked;
    this.#action.fail(undefined);
    try {
      const page = await browseSource(server.id, {...query, count: PAGE});
      // A slower, older answer must not replace the folder the family has moved on to.
      if (asked !== this._asked) return;
      this._items = page.items;
      this._total = page.total;
    } catch (err) {
      if (asked !== this._asked) return;
      this._items = [];
      this._total = 0;
      this.#action.fail(messageOf(err));
    }
  }

  private async _onAdd(e: Event) {
    e.preventDefault();
    // The add button is disabled while one is under way.
    await this.#action.run(async () => {
      const server = await addSource(this._url);
      this._url = "";
      await this._loadServers();
      this._open(server);
    });
  }

  private _pick(picked: string, title: string) {
    this.dispatchEvent(new CustomEvent("ref-picked", {detail: {ref: picked, title}, bubbles: true, composed: true}));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "yss-source-browser": YssSourceBrowser;
  }
  interface HTMLElementEventMap {
    "ref-picked": CustomEvent<{ref: string; title: string}>;
  }
}
