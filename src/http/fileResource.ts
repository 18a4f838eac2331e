import {AppError} from "../core/errors.js";
import type {OpenFiles} from "../files/openFiles.js";
import type {IndexEntry} from "../library/types.js";
import type {FileSender} from "./fileSender.js";
import type {RangedResource} from "./sendRanged.js";

/**
 * Library files as ranged resources. Size, ETag and bytes all come from one open file, so they
 * agree even if the file is replaced mid-request; the file stays open between requests (a player
 * seeking asks for many ranges of it in a row).
 */
export class FileResources {
  readonly #sender: FileSender;
  readonly #files: OpenFiles;

  constructor(sender: FileSender, files: OpenFiles) {
    this.#sender = sender;
    this.#files = files;
  }

  resource(entry: IndexEntry): Promise<RangedResource> {
    return this.resourceAt(entry.absPath, entry.item.mime);
  }

  /** Any file this service keeps (an archived track), served the same way. */
  async resourceAt(absPath: string, contentType: string): Promise<RangedResource> {
    const file = await this.#files.acquire(absPath).catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") {
        throw new AppError("file_missing", "This item's file is missing; rescan the library", {status: 404});
      }
      throw new AppError("file_unreadable", `This item's file cannot be read (${err.code ?? err.message})`, {
        status: 500,
        expose: true,
        cause: err,
      });
    });
    return {
      size: file.size,
      etag: `"${file.size.toString(16)}-${Math.floor(file.mtime.getTime()).toString(16)}"`,
      lastModified: file.mtime,
      contentType,
      send: (out, start, end) => this.#sender.send(out, [{file: file.handle, start, end}]),
      release: async () => file.release(),
    };
  }
}
