/**
 * Words for the Logs, History and Health views' machine values (log levels, service names and
 * states, the overall status) and their times. The cloud's and the account's states are shared
 * with the other views and have their words in `labels.ts`.
 */
import type {HealthOverview, ServiceHealth} from "../data/health.js";
import type {LogLevel} from "../data/logs.js";
import {label} from "./labels.js";

export {serviceLabel} from "./service-labels.js";

const LEVELS: Record<LogLevel, string> = {debug: "Debug", info: "Info", warning: "Warning", error: "Error"};
/** The level filter's choices: each shows that level and the ones above it. */
const LEVEL_FILTERS: Record<LogLevel, string> = {
  debug: "Everything (debug)",
  info: "Info and above",
  warning: "Warnings and errors",
  error: "Errors only",
};
export const levelLabel = label(LEVELS);
export const levelFilterLabel = label(LEVEL_FILTERS);

const STATUS: Record<HealthOverview["status"], string> = {
  ok: "Everything is working",
  degraded: "Working, with problems",
  failed: "Not working",
};
export const statusLabel = label(STATUS);

const SERVICE_STATES: Record<ServiceHealth["state"], string> = {
  stopped: "Stopped",
  starting: "Starting…",
  running: "Running",
  failed: "Failed",
  stopping: "Stopping…",
};
const serviceState = label(SERVICE_STATES);
/** A service's state in words; running but degraded says so. */
export function serviceStateLabel(health: ServiceHealth): string {
  if (health.state === "running" && health.degraded) return "Running with problems";
  return serviceState(health.state);
}

/**
 * Listening time: "45 s", "12 min", "1 h 5 min". Whole seconds, then minutes rounded half up, as
 * Home Assistant shows the "Listening today" sensor (minutes to two places, shown whole): 88 s is
 * "1 min" in both.
 */
export function listened(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s === 0) return "0 min";
  if (s < 60) return `${s} s`;
  const minutes = Math.round(Math.round((s * 100) / 60) / 100);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** A span of time without seconds: "under a minute", "42 min", "3 h 10 min", "2 days". */
export function span(seconds: number): string {
  if (seconds < 60) return "under a minute";
  if (seconds >= 2 * 86_400) return `${Math.floor(seconds / 86_400)} days`;
  return listened(seconds);
}

/** The access token in words: "renews in 42 min", or "expired 5 min ago" (Yoto's login needs renewing). */
export function tokenExpiry(expiresAt: string | undefined, now = Date.now()): string {
  if (!expiresAt) return "No token";
  const left = (Date.parse(expiresAt) - now) / 1000;
  if (Number.isNaN(left)) return "Unknown";
  return left > 0 ? `Renews in ${span(left)}` : `Expired ${span(-left)} ago`;
}
