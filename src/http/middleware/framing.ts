import {isIP} from "node:net";
import type {Middleware} from "koa";

/**
 * Who may show this listener's answers in a frame: pages of its own origin only. Home Assistant's
 * frontend frames the panel through its ingress path (`/api/hassio_ingress/<token>/`) on its own
 * origin, which is the panel's origin as the browser sees it, so `'self'` lets it; any other site
 * gets a blank frame (no clickjacking of the panel or of a child's page). CSP's `frame-ancestors` for
 * today's browsers, `X-Frame-Options` for older ones.
 */
export const FRAMING_HEADERS = {
  "Content-Security-Policy": "frame-ancestors 'self'",
  "X-Frame-Options": "SAMEORIGIN",
} as const;

/** The child's page and its files: the one page a Home Assistant dashboard may show too. */
const isChildPage = (path: string) => path === "/child" || path.startsWith("/child/");

/**
 * What a child's page says when Home Assistant's own addresses are known: they may frame it too,
 * since a wall tablet in Home Assistant's kiosk mode shows the page in a dashboard's Webpage card,
 * from Home Assistant's address (another port, so another origin). Nothing else may. An IPv6
 * literal is no CSP source (browsers drop it with a warning), so it is left out. `X-Frame-Options`
 * cannot name another origin and would overrule nothing a browser with CSP reads: it is left out.
 */
export function childPageFraming(homeAssistant: readonly string[]): Record<string, string> {
  const origins = new Set<string>();
  for (const url of homeAssistant) {
    try {
      const parsed = new URL(url);
      if (!/^https?:$/.test(parsed.protocol) || isIP(parsed.hostname.replace(/^\[|\]$/g, "")) === 6) continue;
      origins.add(parsed.origin);
    } catch {
      // Not a URL: nothing to allow.
    }
  }
  if (origins.size === 0) return {...FRAMING_HEADERS};
  return {"Content-Security-Policy": `frame-ancestors 'self' ${[...origins].join(" ")}`};
}

/**
 * Set on every answer before anything else runs, so every page (the panel, a child's page, the
 * sign-in page, an error, a page added later) says it: nothing downstream unsets them. The child's
 * page alone may also be framed by Home Assistant's own pages (`homeAssistant`: its addresses, once
 * learnt from the Supervisor; none outside Home Assistant).
 */
export function framing(homeAssistant: () => readonly string[]): Middleware {
  // Worked out again only when the list is another one (it is learnt once, after the start).
  let seen: readonly string[] | undefined;
  let child: Record<string, string> = {...FRAMING_HEADERS};
  return async (ctx, next) => {
    if (isChildPage(ctx.path)) {
      const now = homeAssistant();
      if (now !== seen) [seen, child] = [now, childPageFraming(now)];
      ctx.set(child);
    } else ctx.set(FRAMING_HEADERS);
    await next();
  };
}
