import {escapeXml, rootDescription} from "../upnp/descriptions.js";
import {LIBRARY_SERVICE_KEYS, LIBRARY_SERVICES, MEDIA_SERVER_TYPE} from "./libraryTables.js";

/** The library's device description: one root MediaServer:1 with its two services and its own icons. */
export function serverDescription(d: {
  udn: string;
  name: string;
  version: string;
  icons: ReadonlyArray<{url: string; size: number}>;
}): string {
  return rootDescription({
    type: MEDIA_SERVER_TYPE,
    about: [
      ["friendlyName", escapeXml(d.name || "Yoto Smart Stream")],
      ["manufacturer", "Yoto Smart Stream"],
      ["manufacturerURL", "https://github.com/yoto-smart-stream/yoto-smart-stream"],
      ["modelDescription", "The family's Yoto cards, streams, radio, podcasts, stories and media folders"],
      ["modelName", "Yoto Smart Stream library"],
      ["modelNumber", escapeXml(d.version)],
    ],
    udn: d.udn,
    dlnaDoc: "DMS-1.50",
    icon: d.icons[0]?.url ?? "",
    icons: d.icons,
    base: "/upnp/library",
    services: LIBRARY_SERVICE_KEYS.map((key) => [key, LIBRARY_SERVICES[key]]),
  });
}
