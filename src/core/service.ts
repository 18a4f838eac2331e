import type {ServiceState} from "./events.js";

/** Health as reported by `GET /api/health`. */
export interface ServiceHealth {
  state: ServiceState;
  error?: string;
  /** Running but not doing all it should (e.g. the store cannot write): `error` says why. */
  degraded?: boolean;
  /** Service-specific figures (counts, addresses) safe to show to the user. */
  details?: Record<string, unknown>;
}

/**
 * A long-lived part of the app. The constructor only assigns; `start()` acquires resources and
 * `stop()` releases every one of them, in any state, and may be called more than once.
 */
export interface Service {
  readonly name: string;
  /** When a critical service fails to start, the app refuses to start instead of limping on. */
  readonly critical?: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  health?(): Omit<ServiceHealth, "state">;
}
