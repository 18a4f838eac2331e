import {ownEntry} from "../core/ownKeys.js";

/**
 * Yoto's MQTT topic names (reference §3.2–§3.3). Every subscription is named exactly: the cloud
 * broker closes the connection on a wildcard.
 */
export type InboundKind =
  | "events"
  | "status"
  | "statusFull"
  | "response"
  | "presence"
  | "legacyEvents"
  | "legacyStatus";

const INBOUND: Record<string, InboundKind> = {
  "data/events": "events",
  "data/status": "status",
  "status/full": "statusFull",
  response: "response",
  presence: "presence",
  // Older firmware and the pre-2026 topic names still carry the same payloads (reference §3.2).
  events: "legacyEvents",
  status: "legacyStatus",
};

export const AUTHORIZER_USERNAME = "_?x-amz-customauthorizer-name=PublicJWTAuthorizer";

export function deviceSubscriptions(deviceId: string): string[] {
  return Object.keys(INBOUND).map((suffix) => `device/${deviceId}/${suffix}`);
}

export function commandTopic(deviceId: string, command: string): string {
  return `device/${deviceId}/command/${command}`;
}

/**
 * What a device id may hold. Most are `y` and 23 letters or digits, but real ones carry `-`, and `_`
 * is allowed as well (§10.7). Nothing else: an id with `+`, `#` or `/` would make a wildcard or a
 * different topic, and the cloud broker closes the connection on a wildcard subscription.
 */
const DEVICE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isDeviceId(id: unknown): id is string {
  return typeof id === "string" && DEVICE_ID.test(id);
}

/** `device/<id>/<suffix>` → who sent it and what it is; undefined for anything else. */
export function parseInbound(topic: string): {deviceId: string; kind: InboundKind} | undefined {
  const match = /^device\/([A-Za-z0-9_-]{1,64})\/(.+)$/.exec(topic);
  const kind = match ? ownEntry(INBOUND, match[2] as string) : undefined;
  return match && kind ? {deviceId: match[1] as string, kind} : undefined;
}
