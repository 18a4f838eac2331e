/** Scene ids from passage names: lower-case, '-' for anything else, unique within the story. */
export class SceneIds {
  readonly #used = new Set<string>();
  /** The next number to try per base: many names that read the same stay linear. */
  readonly #next = new Map<string, number>();

  take(name: string): string {
    const base =
      name
        .toLowerCase()
        .replace(/[^a-z0-9_-]+/g, "-")
        .replace(/^[-_]+|-+$/g, "")
        .slice(0, 56) || "passage";
    let id = base;
    let n = this.#next.get(base) ?? 2;
    for (; this.#used.has(id); n++) id = `${base}-${n}`;
    this.#next.set(base, n);
    this.#used.add(id);
    return id;
  }
}

/** A story id from its title or file name (the same rules as a scene id). */
export function storyIdFrom(name: string): string {
  return new SceneIds().take(name).slice(0, 48);
}
