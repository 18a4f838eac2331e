import {createHash} from "node:crypto";
import {createReadStream} from "node:fs";
import type {Library} from "../library/library.js";
import type {LibraryItem} from "../library/types.js";
import type {ArchivedFile} from "./cardRecord.js";

// Hashes kept by file (path, size, mtime); past this many, the memory starts over.
const MAX_REMEMBERED = 1000;

/**
 * The library item whose file is byte for byte an archived file: the family's own copy in a media
 * folder (a card made of songs they keep at home too; the demo's card is made of its sample tracks).
 * That item plays the archived track as it is, where a copy would list the same song twice.
 */
export class SameBytes {
  readonly #library: Pick<Library, "items" | "resolve">;
  readonly #shas = new Map<string, Promise<string | undefined>>();

  constructor(library: Pick<Library, "items" | "resolve">) {
    this.#library = library;
  }

  /**
   * An MP3 item (streams join MP3 only) holding exactly the file's bytes, or undefined. Only items
   * of the very same size are read, so a library of thousands costs a filter and seldom a read.
   */
  async find(file: ArchivedFile): Promise<LibraryItem | undefined> {
    const sized = this.#library.items().filter((i) => i.size === file.bytes && i.mime === "audio/mpeg");
    for (const item of sized) if ((await this.#sha(item)) === file.sha) return item;
    return undefined;
  }

  #sha(item: LibraryItem): Promise<string | undefined> {
    let absPath: string;
    try {
      absPath = this.#library.resolve(item.id).absPath;
    } catch {
      return Promise.resolve(undefined);
    }
    // A file edited in place has another size or mtime: it is read again.
    const key = `${absPath}\0${item.size}\0${item.mtimeMs}`;
    const known = this.#shas.get(key);
    if (known !== undefined) return known;
    if (this.#shas.size >= MAX_REMEMBERED) this.#shas.clear();
    // A file that cannot be read (gone since the last scan) is simply not the same.
    const sha = hashOf(absPath).catch(() => undefined);
    this.#shas.set(key, sha);
    return sha;
  }
}

async function hashOf(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
