import {tinyServer} from "./radio.js";

/** A DIDL-Lite item for a fake server's answers. */
export function didlTrack(id: string, title: string, url: string, extra = ""): string {
  return `<item id="${id}" parentID="0" restricted="1"><dc:title>${title}</dc:title><upnp:class>object.item.audioItem.musicTrack</upnp:class><res protocolInfo="http-get:*:audio/mpeg:*" duration="0:00:02.000"${extra}>${url}</res></item>`;
}

export function didlFolder(id: string, title: string): string {
  return `<container id="${id}" parentID="0" restricted="1"><dc:title>${title}</dc:title><upnp:class>object.container.storageFolder</upnp:class></container>`;
}

/** A Browse/Search answer whose Result is `didl` (escaped into the envelope, as servers send it). */
export function soapAnswer(action: string, didl: string, total: number): string {
  const result = `<DIDL-Lite xmlns="urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:upnp="urn:schemas-upnp-org:metadata-1-0/upnp/">${didl}</DIDL-Lite>`;
  const escaped = result.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:${action}Response xmlns:u="urn:schemas-upnp-org:service:ContentDirectory:1"><Result>${escaped}</Result><NumberReturned>0</NumberReturned><TotalMatches>${total}</TotalMatches><UpdateID>1</UpdateID></u:${action}Response></s:Body></s:Envelope>`;
}

export interface SoapCall {
  action: string;
  objectId: string;
  flag: string;
  start: number;
}

/**
 * A media server written for the test: its description, its ContentDirectory answering `soap`, and
 * any other path answered by `other` (audio, a stall, 2 GB of zeros). `controlUrl` is what its
 * description names as the ContentDirectory's address (`/ctl` unless given).
 */
export async function fakeDlna(
  soap: (call: SoapCall, base: string) => string,
  other: (path: string, res: import("node:http").ServerResponse) => void = (_p, res) => res.writeHead(404).end(),
  controlUrl: (base: string) => string = () => "/ctl",
) {
  return tinyServer((req, res, base) => {
    if (req.url === "/desc.xml") {
      res
        .writeHead(200, {"Content-Type": "text/xml"})
        .end(
          `<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device><deviceType>urn:schemas-upnp-org:device:MediaServer:1</deviceType><friendlyName>Fake NAS</friendlyName><UDN>uuid:fake-${base}</UDN><serviceList><service><serviceType>urn:schemas-upnp-org:service:ContentDirectory:1</serviceType><controlURL>${controlUrl(base)}</controlURL></service></serviceList></device></root>`,
        );
      return;
    }
    if (req.url === "/ctl" && req.method === "POST") {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString("utf8");
      });
      req.on("end", () => {
        const action = /SOAPACTION/i.test(JSON.stringify(req.headers))
          ? (/#(\w+)/.exec(String(req.headers.soapaction))?.[1] ?? "")
          : "";
        if (action === "GetSearchCapabilities") {
          res
            .writeHead(200, {"Content-Type": "text/xml"})
            .end(
              `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:GetSearchCapabilitiesResponse xmlns:u="urn:schemas-upnp-org:service:ContentDirectory:1"><SearchCaps></SearchCaps></u:GetSearchCapabilitiesResponse></s:Body></s:Envelope>`,
            );
          return;
        }
        const call = {
          action,
          objectId: /<ObjectID>([^<]*)</.exec(body)?.[1] ?? "",
          flag: /<BrowseFlag>([^<]*)</.exec(body)?.[1] ?? "",
          start: Number(/<StartingIndex>(\d+)</.exec(body)?.[1] ?? 0),
        };
        res.writeHead(200, {"Content-Type": "text/xml"}).end(soap(call, base));
      });
      return;
    }
    other(req.url ?? "", res);
  });
}
