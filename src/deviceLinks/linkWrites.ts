import {KeyedQueue} from "../core/concurrency.js";
import type {StoreNamespace} from "../store/namespace.js";

/**
 * A link's writes in the order they were asked for. A "last used" update and a revoke race
 * otherwise: an update started before the revoke and committed after it would bring the link back
 * on the next start. Here an update waits for the key's earlier writes, and one still waiting when
 * a removal is asked for is dropped.
 */
export class LinkWrites<T> {
  readonly #space: StoreNamespace<T>;
  readonly #queue = new KeyedQueue();
  /** Keys with a removal asked for: their later updates are not written. */
  readonly #removing = new Map<string, number>();

  constructor(space: StoreNamespace<T>) {
    this.#space = space;
  }

  /** Write `value` after the key's earlier writes, unless a removal was asked for meanwhile. */
  update(key: string, value: T): Promise<void> {
    return this.#queue.run(key, async () => {
      if (!this.#removing.has(key)) await this.#space.set(key, structuredClone(value));
    });
  }

  /** Remove the key after its earlier writes; resolves once the store has committed it. */
  async remove(key: string): Promise<void> {
    this.#removing.set(key, (this.#removing.get(key) ?? 0) + 1);
    try {
      await this.#queue.run(key, () => this.#space.delete(key));
    } catch (err) {
      // Not removed: the link is still saved, so its "last used" may be saved again.
      const left = (this.#removing.get(key) ?? 1) - 1;
      if (left > 0) this.#removing.set(key, left);
      else this.#removing.delete(key);
      throw err;
    }
  }

  /** Once every write asked for so far has finished, whatever its outcome. */
  settled(): Promise<void> {
    return this.#queue.idle();
  }
}
