import {EventEmitter} from "node:events";
import {errorMessage} from "./errors.js";
import type {Logger} from "./logger.js";

/**
 * Every in-process event, name → payload. Names are `<scope>.<what happened>` in the past tense
 * (`player.changed`, `story.sceneEntered`), or a running job's report ending in `progress`
 * (`feed.progress`); test/unit/architecture/layers.test.ts holds every name to it. Core declares
 * only its own; each feature adds its events from its own `types.ts` by interface augmentation
 * (`declare module "../core/events.js" { interface EventMap {…} }`), so emitters and listeners are
 * checked against one map while core imports no feature.
 */
export interface EventMap {
  "service.stateChanged": {service: string; state: ServiceState; error?: string};
}

export type ServiceState = "stopped" | "starting" | "running" | "failed" | "stopping";
export type EventName = keyof EventMap;
type Listener<K extends EventName> = (payload: EventMap[K]) => void | Promise<void>;

/**
 * Typed pub/sub with owner-keyed subscriptions: `off(owner)` removes everything an owner added, so
 * a service's stop() is one line. A throwing listener is logged and never reaches the emitter.
 */
export class EventBus {
  readonly #emitter = new EventEmitter();
  readonly #byOwner = new Map<object, Array<{event: string; fn: (payload: unknown) => void}>>();
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
    // Many services listen to the same events; the default cap of 10 would warn spuriously.
    this.#emitter.setMaxListeners(0);
  }

  on<K extends EventName>(owner: object, event: K, listener: Listener<K>): void {
    const ownerName = owner.constructor?.name ?? "anonymous";
    const fn = (payload: unknown) => {
      try {
        const result = listener(payload as EventMap[K]);
        if (result instanceof Promise) result.catch((err) => this.#report(ownerName, event, err));
      } catch (err) {
        this.#report(ownerName, event, err);
      }
    };
    this.#emitter.on(event, fn);
    const list = this.#byOwner.get(owner) ?? [];
    list.push({event, fn});
    this.#byOwner.set(owner, list);
  }

  off(owner: object): void {
    for (const {event, fn} of this.#byOwner.get(owner) ?? []) this.#emitter.off(event, fn);
    this.#byOwner.delete(owner);
  }

  emit<K extends EventName>(event: K, payload: EventMap[K]): void {
    this.#emitter.emit(event, payload);
  }

  listenerCount(event: EventName): number {
    return this.#emitter.listenerCount(event);
  }

  #report(owner: string, event: string, err: unknown): void {
    const write = () => {
      this.#log.error(`Event listener '${owner}/${event}' failed (${errorMessage(err)})`);
      if (err instanceof Error && err.stack) this.#log.debug(err.stack);
    };
    // Each log line is a `log.written`: a listener failing on it would report a line that fails it again.
    if (event === "log.written") this.#log.untapped(write);
    else write();
  }
}
