import type {Subscriptions} from "../upnp/gena.js";
import {propertySet} from "../upnp/gena.js";

/** Change events go out at most this often (CDS moderates SystemUpdateID; a rescan changes many things). */
const EVENT_INTERVAL_MS = 200;

/**
 * ContentDirectory's change counters: SystemUpdateID moves on with every change to the content,
 * each section remembers the SystemUpdateID of its last change (its containers' UpdateID), and
 * subscribers hear both — ContainerUpdateIDs naming the sections changed since the last event.
 */
export class UpdateIds {
  #system = 1;
  readonly #sections = new Map<string, number>();
  /** Sections changed since the last event: ContainerUpdateIDs names them once. */
  readonly #pending = new Set<string>();
  readonly #subs: Subscriptions;
  #timer?: NodeJS.Timeout;
  #lastSentAt = 0;

  constructor(subs: Subscriptions) {
    this.#subs = subs;
  }

  get system(): number {
    return this.#system;
  }

  of(sectionId: string): number {
    return this.#sections.get(sectionId) ?? 0;
  }

  changed(sectionId?: string): void {
    this.#system = this.#system >= 4294967295 ? 1 : this.#system + 1;
    if (sectionId !== undefined) {
      this.#sections.set(sectionId, this.#system);
      this.#pending.add(sectionId);
    }
    if (this.#subs.of("ContentDirectory").length === 0) {
      // Nobody to tell: a later subscriber's initial event carries SystemUpdateID, not old containers.
      this.#pending.clear();
      return;
    }
    if (this.#timer) return;
    const wait = Math.max(0, EVENT_INTERVAL_MS - (Date.now() - this.#lastSentAt));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, wait);
    this.#timer.unref();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #flush(): void {
    this.#lastSentAt = Date.now();
    const ids = [...this.#pending].map((id) => `${id},${this.of(id)}`).join(",");
    this.#pending.clear();
    const body = Buffer.from(propertySet({SystemUpdateID: String(this.#system), ContainerUpdateIDs: ids}), "utf8");
    // A subscription still waiting for its initial event gets the whole state then.
    for (const sub of this.#subs.of("ContentDirectory")) if (sub.seq > 0) void this.#subs.send(sub, body);
  }
}
