import chokidar, {type FSWatcher} from "chokidar";
import {errorMessage} from "../core/errors.js";
import type {Logger} from "../core/logger.js";

export interface RuleFilesWatcherOptions {
  dir: string;
  log: Logger;
  /** Called once the files have been quiet for a moment after a change, with every path that changed. */
  onChange: (paths: string[]) => void;
  quietMs?: number;
}

/**
 * Notices rule files changing, however they are saved: in place, by rename (editors' safe write,
 * `sed -i`, `git pull`), or by delete and create. Node's own recursive watcher loses a file once
 * it is replaced by rename; chokidar follows the folder instead. A watcher error is logged and the
 * watcher started again, so editing never silently stops reloading.
 */
export class RuleFilesWatcher {
  readonly #opts: RuleFilesWatcherOptions;
  #watcher?: FSWatcher;
  #changeTimer?: NodeJS.Timeout;
  #rewatchTimer?: NodeJS.Timeout;
  #running = false;
  /** The paths changed since the last call of `onChange`. */
  #changed = new Set<string>();

  constructor(opts: RuleFilesWatcherOptions) {
    this.#opts = opts;
  }

  /** Resolves once the folder is being watched: a change from then on is seen. */
  start(): Promise<void> {
    this.#running = true;
    const watcher = chokidar.watch(this.#opts.dir, {
      ignoreInitial: true,
      // A file being written is read once it has stopped changing.
      awaitWriteFinish: {stabilityThreshold: 100, pollInterval: 25},
      ignored: (file: string) => /(^|[/\\])(\.git|node_modules)([/\\]|$)/.test(file),
    });
    watcher.on("all", (_event, file) => {
      this.#changed.add(file);
      clearTimeout(this.#changeTimer);
      this.#changeTimer = setTimeout(() => {
        const paths = [...this.#changed];
        this.#changed.clear();
        this.#opts.onChange(paths);
      }, this.#opts.quietMs ?? 300);
    });
    watcher.on("error", (err) => {
      this.#opts.log.warning(`Watching '${this.#opts.dir}' failed (${errorMessage(err)}); watching it again`);
      void watcher.close();
      this.#watcher = undefined;
      clearTimeout(this.#rewatchTimer);
      this.#rewatchTimer = setTimeout(() => {
        if (this.#running) void this.start();
      }, 1000);
    });
    this.#watcher = watcher;
    return new Promise((resolve) => watcher.once("ready", () => resolve()));
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#changeTimer);
    clearTimeout(this.#rewatchTimer);
    await this.#watcher?.close();
    this.#watcher = undefined;
  }
}
