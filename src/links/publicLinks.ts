import path from "node:path";
import type {LibraryItem} from "../library/types.js";
import {itemPath} from "./audioPaths.js";
import type {UrlSigner} from "./urlSigner.js";

const HOUR_MS = 3_600_000;

/** Links that stop working after a while: the same two calls the library's sections use. */
export interface ExpiringLinks {
  absolute(pathname: string): string | undefined;
  itemPath(item: LibraryItem): string;
}

/** Builds the signed URLs players use to fetch audio from the public listener. */
export class PublicLinks {
  readonly #signer: UrlSigner;
  readonly #base: () => string | undefined;

  /** `base` is read at use: the demo's base is the listener's own address, known only once it listens. */
  constructor(signer: UrlSigner, base: () => string | undefined) {
    this.#signer = signer;
    this.#base = base;
  }

  get configured(): boolean {
    return this.#base() !== undefined;
  }

  /** The extension helps players that sniff by name; the id alone selects the file. */
  itemPath(item: LibraryItem): string {
    return itemPath(item.id, path.extname(item.relPath));
  }

  /** Path plus signature, relative to the public listener. */
  signed(pathname: string): string {
    return this.#signer.sign(pathname);
  }

  /** Full URL for players, or undefined while `public_url` is not set. */
  absolute(pathname: string): string | undefined {
    const base = this.#trimmedBase();
    return base ? `${base}${this.#signer.sign(pathname)}` : undefined;
  }

  /**
   * The same links, each good for `hours` (to the next whole hour past it, so a link stays the same
   * for an hour and a control point's cache of it holds): for the UPnP library, which hands links to
   * every device on the home network that asks, and whose links would otherwise work for ever, from
   * anywhere the audio port is reached.
   */
  expiring(hours: number, now: () => number = Date.now): ExpiringLinks {
    return {
      itemPath: (item) => this.itemPath(item),
      absolute: (pathname) => {
        const base = this.#trimmedBase();
        if (!base) return undefined;
        const expiresAt = Math.ceil(now() / HOUR_MS + hours) * (HOUR_MS / 1000);
        return `${base}${this.#signer.signUntil(pathname, expiresAt)}`;
      },
    };
  }

  #trimmedBase(): string | undefined {
    return this.#base()?.replace(/\/+$/, "");
  }
}
