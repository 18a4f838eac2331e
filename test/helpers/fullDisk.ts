import {open, rm} from "node:fs/promises";
import path from "node:path";

/**
 * Take every free byte of the disk holding `dir` with one file, as a download or a backup filling
 * an SD card would. `free()` deletes it again. Only for small test disks (see smallDisk.ts).
 */
export async function fillDisk(dir: string): Promise<{free(): Promise<void>}> {
  const file = path.join(dir, "filler.bin");
  const handle = await open(file, "w");
  try {
    // Big chunks first, then single pages, so not even a page is left over.
    for (const size of [256 * 1024, 4096, 512]) {
      const chunk = Buffer.alloc(size, 1);
      for (;;) {
        try {
          await handle.write(chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === "ENOSPC") break;
          throw err;
        }
      }
    }
  } finally {
    await handle.close();
  }
  return {free: () => rm(file, {force: true})};
}
