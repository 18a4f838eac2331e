import {escapeXml} from "../upnp/descriptions.js";
import {LIBRARY_SERVICE_KEYS, LIBRARY_SERVICES, MEDIA_SERVER_TYPE} from "./libraryTables.js";

/** The library's device description: one root MediaServer:1 with its two services and the icon. */
export function serverDescription(d: {udn: string; name: string; version: string; icon: string}): string {
  const base = "/upnp/library";
  const services = LIBRARY_SERVICE_KEYS.map((key) => {
    const s = LIBRARY_SERVICES[key];
    return `<service><serviceType>${s.type}</serviceType><serviceId>${s.id}</serviceId><SCPDURL>${base}/${key}.xml</SCPDURL><controlURL>${base}/${key}/control</controlURL><eventSubURL>${base}/${key}/event</eventSubURL></service>`;
  }).join("");
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<root xmlns="urn:schemas-upnp-org:device-1-0" xmlns:dlna="urn:schemas-dlna-org:device-1-0">',
    "<specVersion><major>1</major><minor>0</minor></specVersion>",
    "<device>",
    `<deviceType>${MEDIA_SERVER_TYPE}</deviceType>`,
    `<friendlyName>${escapeXml(d.name || "Yoto Smart Stream")}</friendlyName>`,
    "<manufacturer>Yoto Smart Stream</manufacturer>",
    "<manufacturerURL>https://github.com/yoto-smart-stream/yoto-smart-stream</manufacturerURL>",
    "<modelDescription>The family's Yoto cards, streams, radio, podcasts, stories and media folders</modelDescription>",
    "<modelName>Yoto Smart Stream library</modelName>",
    `<modelNumber>${escapeXml(d.version)}</modelNumber>`,
    `<UDN>${d.udn}</UDN>`,
    "<dlna:X_DLNADOC>DMS-1.50</dlna:X_DLNADOC>",
    `<iconList><icon><mimetype>image/png</mimetype><width>128</width><height>128</height><depth>32</depth><url>${d.icon}</url></icon></iconList>`,
    `<serviceList>${services}</serviceList>`,
    "</device>",
    "</root>",
  ].join("\n");
}
