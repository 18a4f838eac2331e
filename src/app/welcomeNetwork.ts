import {ipv4Interfaces} from "../upnp/ssdpInterfaces.js";
import type {App} from "./app.js";

/**
 * What the service does on the family's network, for the welcome at start: whether it looks for
 * media servers (SSDP searches, and where), and where the DLNA renderers answer.
 */
export function networkLines(app: App, ssdp: string): string[] {
  const lines: string[] = [];
  // Whether this service sends SSDP searches, and where: a family may want to know what it does on their network.
  lines.push(
    !app.config.media_discovery
      ? "  Media servers: not looked for (media_discovery is off); media_servers adds them by address"
      : ssdp === "network"
        ? "  Media servers: looked for on the home network (SSDP); media_discovery false turns that off"
        : "  Media servers: looked for on this machine only (SSDP), not on the home network",
  );
  // The DLNA renderers: where a control point finds them, and whether the home network hears of them.
  const first = app.players.list()[0];
  const where = `SSDP on UDP ${app.upnp.ssdpPort} ${ssdp === "network" ? "on the home network" : "on this machine only"}`;
  // The address a control point on the home network uses: Home Assistant, given 127.0.0.1 by hand,
  // records 00:00:00:00:00:00 as each renderer's MAC and may merge them into one device.
  const host =
    ssdp === "network"
      ? (ipv4Interfaces().find((i) => !i.address.startsWith("127."))?.address ?? "<this machine's address>")
      : "127.0.0.1";
  const example = first ? ` (e.g. http://${host}:${app.upnp.port}/upnp/${first.id}/description.xml)` : "";
  lines.push(
    `  DLNA renderers: ${app.config.upnp ? `port ${app.upnp.port}, ${where}${example}` : "off (upnp is false)"}`,
  );
  // The family's library as a media server, beside the renderers: what to give a control point by hand.
  const library = !app.config.upnp
    ? "off (upnp is false)"
    : app.upnp.library
      ? `http://${host}:${app.upnp.port}/upnp/library/description.xml, found by SSDP as the renderers are`
      : "off (upnp_library is false)";
  lines.push(`  Family library (DLNA media server): ${library}`);
  return lines;
}
