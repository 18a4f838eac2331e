/**
 * The MCP protocol revisions the server answers (docs/assistants.md). Two eras: up to 2025-11-25 a
 * client opens with `initialize` and the server names the revision; from 2026-07-28 there is no
 * handshake and every request names its own revision, in `params._meta` and the
 * `MCP-Protocol-Version` header. The server holds no state, so it answers both eras alike.
 */
export const MODERN_VERSIONS = ["2026-07-28"] as const;
/** Newest first: an `initialize` asking for one the server does not speak is answered with the first. */
export const LEGACY_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"] as const;
export const SUPPORTED_VERSIONS: readonly string[] = [...MODERN_VERSIONS, ...LEGACY_VERSIONS];
/** The first revision of the stateless era: a later date is of that era too. */
const FIRST_MODERN = "2026-07-28";

/** The `_meta` keys a 2026-07-28 request carries about itself, and a result about the server. */
export const META = {
  protocolVersion: "io.modelcontextprotocol/protocolVersion",
  serverInfo: "io.modelcontextprotocol/serverInfo",
} as const;

/** 2026-07-28's error for a revision the server does not speak; its data names those it does. */
export const UNSUPPORTED_VERSION = -32022;
/** 2026-07-28's error for a standard header (Mcp-Method, Mcp-Name) that says other than the body. */
export const HEADER_MISMATCH = -32020;

export function isModern(version: string | undefined): boolean {
  return version !== undefined && version >= FIRST_MODERN;
}

/** The answer to `initialize`: the revision asked for when the server speaks it, else its newest of that era. */
export function negotiated(asked: unknown): string {
  return (LEGACY_VERSIONS as readonly unknown[]).includes(asked) ? (asked as string) : LEGACY_VERSIONS[0];
}

/** The revision a request names for itself: its `_meta` first (2026-07-28's rule), else the header. */
export function versionOf(params: unknown, header: string | undefined): string | undefined {
  const meta = (params as {_meta?: Record<string, unknown>} | undefined)?._meta;
  const own = meta && typeof meta === "object" ? meta[META.protocolVersion] : undefined;
  return typeof own === "string" ? own : header;
}

export function unsupportedMessage(version: string): string {
  return `Unsupported protocol version: ${version.slice(0, 40)} (supported versions: ${SUPPORTED_VERSIONS.join(", ")})`;
}
