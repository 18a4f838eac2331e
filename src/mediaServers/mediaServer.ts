import {AppError, errorMessage} from "../core/errors.js";
import type {ServerView, SourceItem} from "../shared/api/sources.js";
import {XmlRefused} from "../upnp/xml.js";
import {ContentDirectory, type DirectoryEntry} from "./contentDirectory.js";
import {describeServer, type ServerDescription} from "./description.js";
import {refOf} from "./refs.js";
import {type ServerAccess, serverAccess} from "./serverFetch.js";
import {type ServerGuard, ServerRefused} from "./serverGuard.js";

export type {ServerView, SourceItem};

/** One media server: what its description said, its ContentDirectory, and whether it answers. */
export class MediaServer {
  readonly description: ServerDescription;
  /** Where every fetch for it may go: its description's host and port. */
  readonly access: ServerAccess;
  readonly directory: ContentDirectory;
  readonly discovered: boolean;
  readonly #search: boolean;
  #error: string | null = null;
  /** Discovered servers: when their last SSDP answer stops holding. */
  expiresAt = Number.POSITIVE_INFINITY;

  private constructor(description: ServerDescription, access: ServerAccess, search: boolean, discovered: boolean) {
    this.description = description;
    this.access = access;
    this.directory = new ContentDirectory(description.controlUrl, access);
    this.#search = search;
    this.discovered = discovered;
  }

  /** Read the server's description (and whether it can search); the error says what it is instead. */
  static async connect(
    url: string,
    discovered: boolean,
    guard: ServerGuard | undefined,
    signal?: AbortSignal,
  ): Promise<MediaServer> {
    const access = serverAccess(url, guard);
    let description: ServerDescription;
    try {
      description = await describeServer(url, access, signal);
    } catch (err) {
      if (err instanceof ServerRefused) throw err;
      throw new AppError("not_a_media_server", `'${url}' did not answer as a UPnP media server: ${errorMessage(err)}`, {
        status: 400,
      });
    }
    const search = await new ContentDirectory(description.controlUrl, access).canSearch(signal).catch(() => false);
    return new MediaServer(description, access, search, discovered);
  }

  get id(): string {
    return this.description.id;
  }

  view(): ServerView {
    const d = this.description;
    return {
      id: d.id,
      name: d.name,
      state: this.#error ? "not_answering" : "ok",
      error: this.#error,
      url: d.url,
      search: this.#search,
      discovered: this.discovered,
    };
  }

  get canSearch(): boolean {
    return this.#search;
  }

  /** Run a call to the server, noting whether it answered; a failure is a 502 naming the server. */
  async ask<T>(call: () => Promise<T>): Promise<T> {
    try {
      const answer = await call();
      this.#error = null;
      return answer;
    } catch (err) {
      if (err instanceof AppError && err.status < 500) throw err;
      if (err instanceof XmlRefused)
        throw new AppError(
          "source_unreadable",
          `Media server '${this.description.name}' answered what cannot be read: ${err.message}`,
          {status: 502, expose: true},
        );
      this.#error = errorMessage(err);
      throw new AppError(
        "source_not_answering",
        `Media server '${this.description.name}' is not answering: ${this.#error}`,
        {
          status: 502,
          expose: true,
        },
      );
    }
  }

  item(entry: DirectoryEntry): SourceItem {
    const {id, title, kind, duration, artist, album, cover} = entry;
    return {id, title, kind, duration, ref: refOf(this.id, id), artist, album, cover};
  }
}
