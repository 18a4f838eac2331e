/** `GET /api/health` and `GET /api/health/overview`: how the service and its players are doing. */
import type {CloudConnectionState, LinkState} from "./account.js";

/** A service's place in its life: what `/api/health` and `service.stateChanged` say. */
export type ServiceState = "stopped" | "starting" | "running" | "failed" | "stopping";

/** One service in `/api/health` (core's own `ServiceHealth` maps onto it). */
export interface ServiceHealth {
  state: ServiceState;
  error?: string;
  /** Running but not doing all it should (e.g. the store cannot write): `error` says why. */
  degraded?: boolean;
  /** Service-specific figures (counts, addresses) safe to show to the user. */
  details?: Record<string, unknown>;
}

/** `service.stateChanged`. */
export interface ServiceStateChanged {
  service: string;
  state: ServiceState;
  error?: string;
}

/** One player's pulse: when the cloud last heard from it. */
export interface PlayerPulse {
  id: string;
  name: string;
  online: boolean;
  lastEventAt?: string;
  /** Seconds since `lastEventAt`. */
  silentSeconds?: number;
  /** Online, yet nothing heard for longer than `silentAfterMinutes`. */
  silent: boolean;
}

/** A stream's podcast feed whose last refresh failed (the stream keeps its last good episodes). */
export interface FailingFeedView {
  stream: string;
  error: string;
  /** When the failure began: refreshes since may have failed the same way. */
  since: string;
  /** What to check, in words. */
  hint: string;
}

/** `GET /api/health/overview`: what the Health page and the bridge's health sensors show. */
export interface HealthOverview {
  /** `degraded` also while Yoto is not reachable or no account is linked: nothing can play then. */
  status: "ok" | "degraded" | "failed";
  /** What needs a person, in words, most important first (empty when all is well). */
  attention: string[];
  version: string;
  uptime: number;
  cloud: {state: CloudConnectionState; account: LinkState; tokenExpiresAt?: string; reason?: string};
  players: PlayerPulse[];
  silentAfterMinutes: number;
  /** Requests for stream MP3s since the service started, and those answered with an error status. */
  streams: {requests: number; errors: number; lastError?: {at: string; stream: string; status: number}};
  /** Streams that follow a podcast feed, and those whose feed fails (each also a line in `attention`). */
  feeds: {following: number; failing: FailingFeedView[]};
  memory: {rssMb: number; heapUsedMb: number};
  services: Record<string, ServiceHealth>;
}

export interface HealthReport {
  status: "ok" | "degraded" | "failed";
  version: string;
  uptime: number;
  services: Record<string, ServiceHealth>;
}
