import path from "node:path";
import type {LibraryItem} from "../library/types.js";
import {itemPath} from "./audioPaths.js";
import type {UrlSigner} from "./urlSigner.js";

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
    const base = this.#base()?.replace(/\/+$/, "");
    return base ? `${base}${this.#signer.sign(pathname)}` : undefined;
  }
}
