import type {StoreNamespace} from "../store/namespace.js";

/** What is persisted: one record, written in one statement, so a crash leaves old or new, never half. */
export interface StoredTokens {
  accessToken: string;
  /** None when Yoto did not grant offline_access: the link then ends with the access token. */
  refreshToken?: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Epoch ms when this access token was issued; short-lived tokens get a proportionate margin. */
  obtainedAt?: number;
  /** The scopes Yoto granted (its answer's `scope`, else the token's claim); undefined when unknown. */
  scope?: string;
  linkedAt: string;
  /** Who issued the login: Yoto's login address and the client id it was issued to. A login is
   * only ever sent back to the issuer it came from (the demo's simulator is another issuer). */
  issuer?: string;
  clientId?: string;
}

/** How often a renewed login that could not be saved is tried again. */
const UNSAVED_RETRY_MS = 15_000;
const KEY = "tokens";

export interface SavedLoginOptions {
  store: {namespace<T>(name: string): StoreNamespace<T>};
  retryMs?: number;
  /** A login that `keepTrying` was given is saved at last. */
  onSaved: (tokens: StoredTokens) => void;
}

/**
 * The Yoto login on disk. Writes run in the order they were asked for, so an older login never
 * overwrites a newer one; each rejects with the store's reason. A renewed login that could not be
 * saved is retried in the background until it is, or the service stops.
 */
export class SavedLogin {
  readonly #opts: SavedLoginOptions;
  #space?: StoreNamespace<StoredTokens>;
  #writes: Promise<unknown> = Promise.resolve();
  #unsaved?: {tokens: StoredTokens; since: string; timer?: NodeJS.Timeout};
  #closed = false;

  constructor(opts: SavedLoginOptions) {
    this.#opts = opts;
  }

  async open(): Promise<StoredTokens | undefined> {
    this.#closed = false;
    this.#space = this.#opts.store.namespace<StoredTokens>("yoto_account");
    return this.#space.get(KEY);
  }

  /** Stop retrying, after one last try: false when a renewed login is still not saved. */
  async close(): Promise<boolean> {
    this.#closed = true;
    clearTimeout(this.#unsaved?.timer);
    return this.#unsaved ? this.#trySaving(this.#unsaved.tokens) : true;
  }

  /** Since when the login in use is not the saved one. */
  get unsavedSince(): string | undefined {
    return this.#unsaved?.since;
  }

  /** Resolves once `tokens` is on disk; anything still waiting to be saved is older, so it is dropped. */
  async save(tokens: StoredTokens): Promise<void> {
    await this.#write(() => this.#space?.set(KEY, tokens));
    this.#dropUnsaved();
  }

  /** Remove the saved login; a login waiting to be saved is dropped once that worked. */
  async forget(): Promise<void> {
    await this.#write(() => this.#space?.delete(KEY));
    this.#dropUnsaved();
  }

  /** The login waiting to be saved is worthless (Yoto refused it): stop trying. */
  abandon(): void {
    this.#dropUnsaved();
  }

  /** `tokens` is in use but could not be saved: try again every little while until it is. */
  keepTrying(tokens: StoredTokens): void {
    clearTimeout(this.#unsaved?.timer);
    this.#unsaved = {tokens, since: this.#unsaved?.since ?? new Date().toISOString()};
    this.#retryLater();
  }

  #retryLater(): void {
    const unsaved = this.#unsaved;
    if (!unsaved || this.#closed) return;
    unsaved.timer = setTimeout(async () => {
      // Unless a newer login took its place (and has a timer of its own).
      if (!(await this.#trySaving(unsaved.tokens)) && this.#unsaved === unsaved) this.#retryLater();
    }, this.#opts.retryMs ?? UNSAVED_RETRY_MS);
    unsaved.timer.unref();
  }

  async #trySaving(tokens: StoredTokens): Promise<boolean> {
    try {
      await this.#write(() => this.#space?.set(KEY, tokens));
    } catch {
      // The store has logged it and shows degraded; the account says so in its reason.
      return false;
    }
    // A newer login may have been made meanwhile: only saving that one counts.
    if (this.#unsaved?.tokens !== tokens) return this.#unsaved === undefined;
    this.#dropUnsaved();
    this.#opts.onSaved(tokens);
    return true;
  }

  #dropUnsaved(): void {
    clearTimeout(this.#unsaved?.timer);
    this.#unsaved = undefined;
  }

  #write(write: () => Promise<unknown> | undefined): Promise<void> {
    const run = this.#writes.then(write, write);
    this.#writes = run.catch(() => undefined);
    return run.then(() => undefined);
  }
}
