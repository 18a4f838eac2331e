import {createReadStream} from "node:fs";
import {stat} from "node:fs/promises";
import {notFound} from "../core/errors.js";
import type {IndexEntry} from "../library/types.js";
import type {RangedResource} from "./sendRanged.js";

/**
 * A library file as a ranged resource. Size and validators come from a fresh stat, so a file edited
 * since the last scan is never served with stale lengths.
 */
export async function fileResource(entry: IndexEntry): Promise<RangedResource> {
  const st = await stat(entry.absPath).catch(() => {
    throw notFound(`The file of '${entry.item.relPath}' is gone; rescan the library`, "file_missing");
  });
  return {
    size: st.size,
    etag: `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`,
    lastModified: st.mtime,
    contentType: entry.item.mime,
    open: (start, end) => createReadStream(entry.absPath, {start, end, highWaterMark: 256 * 1024}),
  };
}
