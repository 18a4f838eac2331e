/**
 * The Players view's first requests, started by a small inline script in index.html (written there
 * at build time from this list) while the panel's code is still downloading, instead of after it
 * has loaded and rendered once. The view's own GETs then take these answers, once each.
 */
export const EARLY_GETS = ["api/players", "api/virtual", "api/quiet-hours", "api/account/cards", "api/children"];

/** Answers older than this are asked for again: the panel took long to load, they may be stale. */
const MAX_AGE_MS = 10_000;
const GLOBAL = "__yssEarly";

/** A failed early fetch resolves to undefined (never an unhandled rejection): the caller asks again. */
type Early = Record<string, Promise<Response | undefined> | undefined>;

/** The answer started for `path` at page load, if any and still fresh; each is taken only once. */
export function takeEarly(path: string): Promise<Response | undefined> | undefined {
  const early = (window as unknown as Record<string, Early | undefined>)[GLOBAL];
  if (!early || !Object.hasOwn(early, path)) return undefined;
  const response = early[path];
  delete early[path];
  return performance.now() <= MAX_AGE_MS ? response : undefined;
}

/**
 * The inline script's text: on the Players view (no hash, or #players) it fetches each path with
 * the panel's header; a failed one resolves to nothing and is asked again. `headers` is PANEL_HEADERS.
 */
export function earlyScript(headers: Record<string, string>): string {
  const paths = JSON.stringify(EARLY_GETS);
  const init = JSON.stringify({headers});
  return `(function(){if(!/^#?\\/?(players)?$/.test(location.hash))return;var e=window.${GLOBAL}={};${paths}.forEach(function(p){e[p]=fetch(p,${init}).catch(function(){})})})()`;
}
