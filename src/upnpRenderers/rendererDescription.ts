import {escapeXml, ICON_PATH, rootDescription, scpdOf} from "../upnp/descriptions.js";
import {RENDERER_TYPE, SERVICE_KEYS, SERVICES, type ServiceKey} from "./rendererTables.js";

/** What a renderer's description says of its player. */
export interface RendererIdentity {
  playerId: string;
  udn: string;
  name: string;
  /** The Yoto model ("Yoto Player", "Yoto Mini"). */
  model: string;
  version: string;
}

/** Each renderer's documents live under its own path, named by the player id (never its name). */
export function rendererPath(playerId: string): string {
  return `/upnp/${encodeURIComponent(playerId)}`;
}

/**
 * The device description: one root MediaRenderer:1 per player, its three services and an icon.
 * The friendly name is the player's, so Home Assistant's entity follows a rename.
 */
export function deviceDescription(r: RendererIdentity): string {
  return rootDescription({
    type: RENDERER_TYPE,
    about: [
      ["friendlyName", escapeXml(r.name || "Yoto Player")],
      ["manufacturer", "Yoto"],
      ["manufacturerURL", "https://yotoplay.com"],
      ["modelDescription", escapeXml(`${r.model} through Yoto Smart Stream`)],
      ["modelName", escapeXml(r.model)],
      ["modelNumber", escapeXml(r.version)],
      ["modelURL", "https://github.com/yoto-smart-stream/yoto-smart-stream"],
      ["serialNumber", escapeXml(r.playerId)],
    ],
    udn: r.udn,
    dlnaDoc: "DMR-1.50",
    icon: ICON_PATH,
    base: rendererPath(r.playerId),
    services: SERVICE_KEYS.map((key) => [key, SERVICES[key]]),
  });
}

/** A renderer service's SCPD, written from its table (serviceTables.ts). */
export function serviceDescription(key: ServiceKey): string {
  return scpdOf(SERVICES[key]);
}
