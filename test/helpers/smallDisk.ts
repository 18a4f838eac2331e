import {execFile} from "node:child_process";
import {mkdir} from "node:fs/promises";
import {promisify} from "node:util";

const run = promisify(execFile);

/** Mounting needs root, which tests have here and in CI; elsewhere the disk-full tests say why they skip. */
export const canMountDisks = process.getuid?.() === 0;
export const cannotMountReason = "mounting a small tmpfs needs root: run the tests as root to check disk-full handling";

export interface SmallDisk {
  dir: string;
  unmount(): Promise<void>;
}

/**
 * A really full disk, not a simulated one: a tmpfs of `kib` KiB mounted on `dir`, so writes past
 * it fail with ENOSPC exactly as on a full SD card. Unmount it before its parent folder is removed.
 */
export async function mountSmallDisk(dir: string, kib: number): Promise<SmallDisk> {
  await mkdir(dir, {recursive: true});
  await run("mount", ["-t", "tmpfs", "-o", `size=${kib}k,mode=0755`, "tmpfs", dir]);
  return {dir, unmount: () => run("umount", [dir]).then(() => undefined)};
}
