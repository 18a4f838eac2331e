import {open, rename, rm} from "node:fs/promises";
import path from "node:path";

/** fsync a file or a folder (a folder's entry for a renamed file is only durable once it is). */
export async function flush(target: string): Promise<void> {
  const handle = await open(target, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes so far in this process: each one's temporary file has a name of its own. */
let writes = 0;

/**
 * A file written whole and flushed, then renamed over the old one and its folder flushed: a reader
 * (a folder watcher) never sees half of it, and once this resolves it survives a crash. A failed
 * write (a full disk) leaves the old file as it was and no temporary file behind.
 */
export async function writeDurably(file: string, content: string | Uint8Array): Promise<void> {
  // Its own temporary name: two writes of one file at once (two imports of a story) each finish
  // whole, the later one winning, rather than one renaming the other's half-written file away.
  const temp = `${file}.${process.pid}.${++writes}.tmp`;
  try {
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (err) {
    await rm(temp, {force: true});
    throw err;
  }
  await flush(path.dirname(file));
}
