/**
 * What the Players view's first paint needs, asked for by a small inline script in index.html
 * (written there at build time from this list) while the panel's code is still downloading,
 * instead of after it has loaded and rendered once. The view's own GETs then take the answers,
 * once each. Only the players and which of them have the demo's hands (their controls): each
 * request started at page load costs the page's one thread time before the first paint, so what
 * the cards show beside them is asked for after it (LiveResource's `afterPaint`).
 */
export const EARLY_GETS = ["api/players", "api/virtual"];

/** Answers older than this are asked for again: the panel took long to load, they may be stale. */
const MAX_AGE_MS = 10_000;
const GLOBAL = "__yssEarly";

/**
 * An early answer, read whole by the inline script. Read there, the body is in hand by the time the
 * view asks, so the view renders its data in the same task as its first render: no "Loading…"
 * frame to lay out and paint first (reading the body later costs a trip through the network
 * process, a task of its own).
 */
export interface EarlyAnswer {
  status: number;
  statusText: string;
  text: string;
}

/** A failed early fetch resolves to undefined (never an unhandled rejection): the caller asks again. */
type Early = Record<string, Promise<EarlyAnswer | undefined> | undefined>;

/** The answers the inline script started, if it ran. */
function started(): Early | undefined {
  return (window as unknown as Record<string, Early | undefined>)[GLOBAL];
}

/** The answer started for `path` at page load, if any and still fresh; each is taken only once. */
export function takeEarly(path: string): Promise<EarlyAnswer | undefined> | undefined {
  const early = started();
  if (!early || !Object.hasOwn(early, path)) return undefined;
  const answer = early[path];
  delete early[path];
  return performance.now() <= MAX_AGE_MS ? answer : undefined;
}

/** Settles once the early answer for `path` is in (or failed); at once when there is none. */
export function earlySettled(path: string): Promise<unknown> {
  const early = started();
  return (early && Object.hasOwn(early, path) ? early[path] : undefined) ?? Promise.resolve();
}

/**
 * The inline script's text: on the Players view (no hash, or #players) it fetches each path with
 * the panel's header and reads its body; a failed one resolves to nothing and is asked again.
 * `headers` is PANEL_HEADERS.
 */
export function earlyScript(headers: Record<string, string>): string {
  const paths = JSON.stringify(EARLY_GETS);
  const init = JSON.stringify({headers});
  return `(function(){if(!/^#?\\/?(players)?$/.test(location.hash))return;var e=window.${GLOBAL}={};${paths}.forEach(function(p){e[p]=fetch(p,${init}).then(function(r){return r.text().then(function(t){return{status:r.status,statusText:r.statusText,text:t}})}).catch(function(){})})})()`;
}
