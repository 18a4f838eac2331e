/** The parts of the page's own address the MCP server's address is built from (the page's `location`). */
export interface PageAddress {
  protocol: string;
  hostname: string;
}

/**
 * The MCP server's address for an assistant. The service says it when the request's own address
 * tells it; behind Home Assistant's ingress it says nothing (ingress is for the panel only), and
 * the address is the panel's own port on this host, as a tablet's link is (`tabletBase`).
 */
export function mcpAddress(given: string, panelPort: number, where: PageAddress): string {
  if (given) return given;
  return `${where.protocol}//${where.hostname}:${panelPort}/mcp`;
}
