import {escapeXml} from "../upnp/descriptions.js";
import {propertySet} from "../upnp/gena.js";
import type {Variables} from "./rendererState.js";
import type {ServiceKey} from "./rendererTables.js";

const NAMESPACES: Record<"AVTransport" | "RenderingControl", string> = {
  AVTransport: "urn:schemas-upnp-org:metadata-1-0/AVT/",
  RenderingControl: "urn:schemas-upnp-org:metadata-1-0/RCS/",
};

/** Variables RenderingControl keeps per channel: written with `channel="Master"`. */
const PER_CHANNEL = new Set(["Volume", "Mute"]);

/** The LastChange document for instance 0: every variable given, as `<Name val="…"/>`. */
export function lastChange(service: "AVTransport" | "RenderingControl", vars: Variables): string {
  const body = Object.entries(vars)
    .map(
      ([name, value]) =>
        `<${name}${PER_CHANNEL.has(name) && service === "RenderingControl" ? ' channel="Master"' : ""} val="${escapeXml(value)}"/>`,
    )
    .join("");
  return `<Event xmlns="${NAMESPACES[service]}"><InstanceID val="0">${body}</InstanceID></Event>`;
}

/** What changed between two readings (everything when there was none before). */
export function changed(before: Variables | undefined, now: Variables): Variables {
  if (!before) return now;
  const out: Variables = {};
  for (const [name, value] of Object.entries(now)) if (before[name] !== value) out[name] = value;
  return out;
}

/** The evented body of one service for these variables (LastChange for AVT/RC, plain for CM). */
export function eventBody(service: ServiceKey, vars: Variables): string {
  if (service === "ConnectionManager") return propertySet(vars);
  return propertySet({LastChange: lastChange(service, vars)});
}
