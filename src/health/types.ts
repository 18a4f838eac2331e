import type {ServiceHealth} from "../core/service.js";
import type {LinkState} from "../yoto/account.js";
import type {CloudConnectionState} from "../yoto/cloudMqtt.js";

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
  memory: {rssMb: number; heapUsedMb: number};
  services: Record<string, ServiceHealth>;
}
