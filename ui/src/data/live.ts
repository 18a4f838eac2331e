import type {LiveEventMap, LiveEventName} from "../../../src/shared/api/index.js";

export type {LiveEventMap, LiveEventName} from "../../../src/shared/api/index.js";
export type LiveStatus = "connecting" | "live" | "reconnecting";

type Handler<K extends LiveEventName> = (payload: LiveEventMap[K]) => void;

const RETRY_MS = [1000, 2000, 5000, 10_000];

/**
 * The service's live events (`api/events`, server-sent). One per panel, handed to the views. The
 * browser retries a dropped stream by itself, but gives up for good when the retry gets an error
 * status (ingress answers 502 while the add-on restarts); then a new stream is opened after a
 * back-off. Every reconnect is announced as `resync`, so views reload what they may have missed.
 */
export class LiveEvents extends EventTarget {
  status: LiveStatus = "connecting";
  readonly #url: string;
  readonly #registered = new Set<LiveEventName>();
  #source?: EventSource;
  #everLive = false;
  #attempt = 0;
  #retryTimer?: number;
  #closed = false;

  constructor(url = "api/events") {
    super();
    this.#url = url;
    this.#open();
  }

  /** Subscribe to one event; returns the unsubscribe function. */
  on<K extends LiveEventName>(event: K, handler: Handler<K>): () => void {
    if (!this.#registered.has(event)) {
      this.#registered.add(event);
      this.#forward(event);
    }
    const listener = (e: Event) => handler((e as CustomEvent<LiveEventMap[K]>).detail);
    this.addEventListener(event, listener);
    return () => this.removeEventListener(event, listener);
  }

  onResync(handler: () => void): () => void {
    this.addEventListener("resync", handler);
    return () => this.removeEventListener("resync", handler);
  }

  close(): void {
    this.#closed = true;
    window.clearTimeout(this.#retryTimer);
    this.#source?.close();
  }

  #open(): void {
    const source = new EventSource(this.#url);
    this.#source = source;
    source.addEventListener("hello", () => {
      this.#attempt = 0;
      this.#setStatus("live");
      if (this.#everLive) this.dispatchEvent(new Event("resync"));
      this.#everLive = true;
    });
    source.onerror = () => {
      this.#setStatus("reconnecting");
      if (source.readyState !== EventSource.CLOSED || this.#closed) return;
      const delay = RETRY_MS[Math.min(this.#attempt++, RETRY_MS.length - 1)];
      this.#retryTimer = window.setTimeout(() => this.#open(), delay);
    };
    for (const event of this.#registered) this.#forward(event);
  }

  #forward(event: LiveEventName): void {
    this.#source?.addEventListener(event, (e) => {
      let detail: unknown;
      try {
        detail = JSON.parse((e as MessageEvent<string>).data);
      } catch {
        // Not JSON (a proxy's page, a cut line): no event rather than a page error.
        return;
      }
      this.dispatchEvent(new CustomEvent(event, {detail}));
    });
  }

  #setStatus(status: LiveStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.dispatchEvent(new Event("status"));
  }
}
