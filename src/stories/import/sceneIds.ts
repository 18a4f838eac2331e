/** Scene ids from passage names: lower-case, '-' for anything else, unique within the story. */
export class SceneIds {
  readonly #used = new Set<string>();
  /** The next number to try per base: many names that read the same stay linear. */
  readonly #next = new Map<string, number>();

  /** An id a passage asks for by its `scene:` tag (an exported story's): taken before any name's. */
  reserve(id: string): void {
    this.#used.add(id);
  }

  take(name: string): string {
    const base = slug(name) || "passage";
    let id = base;
    let n = this.#next.get(base) ?? 2;
    for (; this.#used.has(id); n++) id = `${base}-${n}`;
    this.#next.set(base, n);
    this.#used.add(id);
    return id;
  }
}

/**
 * A story id from its title or else its file name (the same rules as a scene id): the first that
 * has a letter or digit of a-z, 0-9, so a title in another script is named after its file, not
 * 'passage' as every such story was.
 */
export function storyIdFrom(...names: string[]): string {
  for (const name of names) {
    const id = slug(name).slice(0, 48).replace(/-+$/, "");
    if (id) return id;
  }
  return "story";
}

export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[-_]+|-+$/g, "")
    .slice(0, 56);
}
