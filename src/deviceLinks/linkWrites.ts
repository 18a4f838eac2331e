import {KeyedQueue} from "../core/concurrency.js";
import {AppError} from "../core/errors.js";
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
  /** Revokes being saved, by key. */
  readonly #revokes = new Map<string, Promise<void>>();

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

  /**
   * A revoke: removed once however often it is asked for at once (a second ask waits for the first
   * and is `false`, "revoked already", unless the first failed). A store that cannot take it is said
   * in `failure`'s words around the store's own, with its status (507 disk full, 503 locked).
   */
  async revoke(key: string, failure: (why: string) => string, code: string): Promise<boolean> {
    const running = this.#revokes.get(key);
    if (running !== undefined) {
      await running.catch(() => undefined);
      return false;
    }
    const removal = this.remove(key);
    this.#revokes.set(key, removal);
    try {
      await removal;
      return true;
    } catch (err) {
      const why = err instanceof AppError ? err : undefined;
      throw new AppError(why?.code ?? code, failure(why?.message ?? String(err)), {
        status: why?.status ?? 500,
        expose: true,
        cause: err,
      });
    } finally {
      this.#revokes.delete(key);
    }
  }

  /** Once every write asked for so far has finished, whatever its outcome. */
  settled(): Promise<void> {
    return this.#queue.idle();
  }
}
