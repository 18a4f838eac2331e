import {closestName} from "../core/closest.js";

/** Paths longer than this get no hint: a route is short, and the work stays bounded. */
const MAX_PATH = 512;

export interface RouteShape {
  path: string;
  methods: string[];
}

/**
 * The route a mistyped API path most likely meant, written with the caller's own values in its
 * parameters: `/api/players/p1/command` → `POST /api/players/p1/commands`. A route is close when it
 * has as many segments and every segment but one matches (a parameter matches anything) and that one
 * is within closestName's distance. Undefined when none is, or when two routes are equally close.
 */
export function routeHint(method: string, requested: string, routes: readonly RouteShape[]): string | undefined {
  if (requested.length > MAX_PATH) return undefined;
  const parts = requested.split("/");
  const found = new Set<string>();
  for (const route of routes) {
    const pattern = route.path.split("/");
    if (pattern.length !== parts.length || pattern.some((p) => p.includes("("))) continue;
    const differing = pattern.flatMap((p, i) => (p.startsWith(":") || p === parts[i] ? [] : [i]));
    if (differing.length > 1) continue;
    const at = differing[0];
    // None differing is the path itself with another method: the router's 405, never a 404 here.
    if (at === undefined || closestName(parts[at] as string, [pattern[at] as string]) === undefined) continue;
    const path = pattern.map((p, i) => (p.startsWith(":") ? parts[i] : p)).join("/");
    const methods = route.methods.filter((m) => m !== "HEAD");
    found.add(`${methods.includes(method) ? method : methods.join(" or ")} ${path}`);
  }
  return found.size === 1 ? [...found][0] : undefined;
}
