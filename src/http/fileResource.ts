import {open} from "node:fs/promises";
import {AppError} from "../core/errors.js";
import type {IndexEntry} from "../library/types.js";
import type {FileSender} from "./fileSender.js";
import type {RangedResource} from "./sendRanged.js";

/**
 * Library files as ranged resources. The file is opened first and measured through that handle,
 * so size, ETag and bytes all come from the same file even if it is replaced mid-request.
 */
export class FileResources {
  readonly #sender: FileSender;

  constructor(sender: FileSender) {
    this.#sender = sender;
  }

  async resource(entry: IndexEntry): Promise<RangedResource> {
    const handle = await open(entry.absPath, "r").catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") {
        throw new AppError("file_missing", "This item's file is missing; rescan the library", {status: 404});
      }
      throw new AppError("file_unreadable", `This item's file cannot be read (${err.code ?? err.message})`, {
        status: 500,
        expose: true,
        cause: err,
      });
    });
    const st = await handle.stat().catch(async (err) => {
      await handle.close();
      throw err;
    });
    return {
      size: st.size,
      etag: `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`,
      lastModified: st.mtime,
      contentType: entry.item.mime,
      send: (out, start, end) => this.#sender.send(out, [{file: handle, start, end}]),
      release: () => handle.close(),
    };
  }
}
