import {describe, expect, it} from "vitest";
import {mcpAddress, type PageAddress} from "../../../ui/src/data/mcp-address.js";

/** The parts of the page's address that `mcpAddress` reads. */
const at = (href: string): PageAddress => {
  const url = new URL(href);
  return {protocol: url.protocol, hostname: url.hostname};
};

describe("the MCP server's address the Assistants view shows", () => {
  it("is the service's own when it says it", () => {
    expect(mcpAddress("http://192.168.1.20:8099/mcp", 8099, at("http://192.168.1.20:8099/#assistants"))).toBe(
      "http://192.168.1.20:8099/mcp",
    );
  });

  it("behind Home Assistant's ingress, is the panel's own port on the page's host", () => {
    expect(mcpAddress("", 8099, at("https://homeassistant.local:8123/api/hassio_ingress/abc123/#assistants"))).toBe(
      "https://homeassistant.local:8099/mcp",
    );
  });
});
