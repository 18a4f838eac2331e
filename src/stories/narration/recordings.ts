import {createHash} from "node:crypto";
import {createReadStream} from "node:fs";
import {stat} from "node:fs/promises";
import path from "node:path";
import type {Scene, Story} from "../model/story.js";

/** A scene's own recording: the file, and the cache key of its content. */
export interface Recording {
  file: string;
  key: string;
}

/** A name that is one plain file name: a scene title with a slash or a leading dot is not looked for. */
const PLAIN_NAME = /^[^/\\\0.][^/\\\0]{0,99}$/;

/**
 * Recordings beside a story that replace its narration, as Yoto's twine-to-yoto takes them:
 * `<story's folder>/<story id>/audio/<scene title>.mp3` (the Twine passage's name), or
 * `…/audio/<scene id>.mp3`. A recording is keyed by its content, hashed once per size and time.
 */
export class Recordings {
  readonly #rulesDir: string;
  readonly #keys = new Map<string, {size: number; mtimeMs: number; key: string}>();

  constructor(rulesDir: string) {
    this.#rulesDir = rulesDir;
  }

  /** The folder a story's recordings are in. */
  folder(story: Story): string {
    return path.join(this.#rulesDir, path.dirname(story.file), story.id, "audio");
  }

  async find(story: Story, scene: Scene): Promise<Recording | undefined> {
    const names = [scene.title, scene.id].filter((n) => PLAIN_NAME.test(n));
    for (const name of names) {
      const file = path.join(this.folder(story), `${name}.mp3`);
      const found = await stat(file).catch(() => undefined);
      if (!found?.isFile()) continue;
      const known = this.#keys.get(file);
      if (known && known.size === found.size && known.mtimeMs === found.mtimeMs) return {file, key: known.key};
      const key = await contentKey(file);
      this.#keys.set(file, {size: found.size, mtimeMs: found.mtimeMs, key});
      return {file, key};
    }
    return undefined;
  }
}

async function contentKey(file: string): Promise<string> {
  const hash = createHash("sha256").update("recording\0");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex").slice(0, 32);
}
