import path from "node:path";
import type {LibraryItem} from "../library/types.js";
import type {UrlSigner} from "./urlSigner.js";

/** Builds the signed URLs players use to fetch audio from the public listener. */
export class PublicLinks {
  readonly #signer: UrlSigner;
  readonly #base?: string;

  constructor(signer: UrlSigner, publicUrl: string | undefined) {
    this.#signer = signer;
    this.#base = publicUrl?.replace(/\/+$/, "");
  }

  get configured(): boolean {
    return this.#base !== undefined;
  }

  /** The extension helps players that sniff by name; the id alone selects the file. */
  itemPath(item: LibraryItem): string {
    return `/audio/${item.id}${path.extname(item.relPath).toLowerCase()}`;
  }

  /** Path plus signature, relative to the public listener. */
  signed(pathname: string): string {
    return this.#signer.sign(pathname);
  }

  /** Full URL for players, or undefined while `public_url` is not set. */
  absolute(pathname: string): string | undefined {
    return this.#base ? `${this.#base}${this.#signer.sign(pathname)}` : undefined;
  }
}
