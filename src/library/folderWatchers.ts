import {type FSWatcher, watch} from "node:fs";
import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";

/**
 * One non-recursive watcher per media folder, following the folders each scan walked. Node's
 * recursive watch on Linux watches every file and stats them all synchronously when it starts:
 * 10,000 files cost a second of blocked event loop and thousands of watchers. A folder's watcher
 * sees its files come, go and change, and a new subfolder (which the next scan then watches).
 */
export class FolderWatchers {
  readonly #onChange: () => void;
  readonly #log: Logger;
  readonly #watchers = new Map<string, FSWatcher>();
  // A missing media folder is said once, not at every periodic rescan.
  readonly #reported = new Set<string>();

  constructor(onChange: () => void, log: Logger) {
    this.#onChange = onChange;
    this.#log = log;
  }

  /** Watch exactly `folders` (and try each root, so a missing one is reported). */
  sync(roots: readonly string[], folders: ReadonlySet<string>): void {
    for (const [dir, watcher] of this.#watchers) {
      if (!folders.has(dir)) {
        watcher.close();
        this.#watchers.delete(dir);
      }
    }
    for (const dir of new Set([...roots, ...folders])) {
      if (!this.#watchers.has(dir)) this.#watch(dir, roots.includes(dir));
    }
  }

  close(): void {
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }

  #watch(dir: string, isRoot: boolean): void {
    try {
      const watcher = watch(dir, () => this.#onChange());
      watcher.on("error", (err) => {
        // Usually the folder went away; the rescan this triggers forgets it or watches it again.
        this.#watchers.delete(dir);
        this.#log.debug(() => `Stopped watching '${dir}' (${err.message})`);
        this.#onChange();
      });
      this.#watchers.set(dir, watcher);
      this.#reported.delete(dir);
    } catch (err) {
      if (!isRoot || this.#reported.has(dir)) return;
      this.#reported.add(dir);
      const code = (err as NodeJS.ErrnoException).code;
      this.#log.warning(
        code === "ENOENT"
          ? `Media folder '${dir}' does not exist: create it and add audio, it is checked every 10 minutes`
          : code === "ENOTDIR"
            ? `Media folder '${dir}' is a file, not a folder: set media_dirs to the folder that holds your audio`
            : `Cannot watch '${dir}' (${errorMessage(err)}); rescans run every 10 minutes`,
      );
    }
  }
}
