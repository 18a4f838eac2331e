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

/**
 * Set on every answer before anything else runs, so every page (the panel, a child's page, the
 * sign-in page, an error, a page added later) says it: nothing downstream unsets them.
 */
export const sameOriginFrames: Middleware = async (ctx, next) => {
  ctx.set(FRAMING_HEADERS);
  await next();
};
