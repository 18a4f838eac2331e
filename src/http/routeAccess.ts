import type {Layer, default as Router, RouterMiddleware} from "@koa/router";

/**
 * Who, besides a parent, may call a route of the admin listener. A route not opened is the
 * parents' alone: a device link gets 403 there (middleware/deviceAccess.ts).
 */
export type Opening =
  /** Anyone: a page or its files, nothing in them the family's; a tablet loads them with or without its link. */
  | "public"
  /**
   * Any device link: the live events, each without its payload. The credential may come as
   * `?device=` (an EventSource sends no header), and nowhere else may it.
   */
  | "devices"
  /** The device link of the child the path's `:child` parameter names. */
  | "child";

interface Declared {
  opening: Opening;
  /** The one method opened: a GET's implied HEAD is the router's, not opened to a device. */
  method: string;
}

/** What a request reaches, by what its route declares. */
export interface Reached extends Declared {
  /** The `:child` parameter as the path writes it (still percent-encoded), for a "child" opening. */
  rawChild?: string;
}

// Keyed by the router's own layer, so the declaration and the route are one object: no second list
// of paths to keep in step.
const declared = new WeakMap<Layer, Declared>();

/**
 * Registers a route and who may call it, in one declaration: `openRoute(router, "child", "POST",
 * "/api/children/:child/shelf/play", handler)`. A "child" route must name its `:child`: refused at
 * start, not found out by a tablet.
 */
export function openRoute(
  router: Router,
  opening: Opening,
  method: "GET" | "POST",
  path: string | string[],
  ...handlers: RouterMiddleware[]
): void {
  for (const one of Array.isArray(path) ? path : [path]) {
    if (opening === "child" && !/:child(?![\w])/.test(one))
      throw new Error(`${method} ${one} is opened to a child's device link but names no :child parameter`);
    declared.set(router.register(one, [method], handlers) as Layer, {opening, method});
  }
}

/** What one route declares, with its `:child` as the path writes it. */
function reachedBy(layer: Layer, path: string): Reached | undefined {
  const opened = declared.get(layer);
  if (opened?.opening !== "child") return opened && {...opened};
  const at = layer.paramNames.findIndex((key) => key.name === "child");
  return {...opened, rawChild: layer.captures(path)[at]};
}

/**
 * What the routes `path` would run through declare, or undefined when one of them is not opened
 * (the parents' alone) or none matches. Every matched route must be opened alike: the first answers,
 * but one that passes the request on would run the next.
 */
export function reachedRoute(router: Router, method: string, path: string): Reached | undefined {
  const reached = router
    .match(path, method)
    .pathAndMethod.filter((layer) => layer.methods.length > 0)
    .map((layer) => reachedBy(layer, path));
  const [first] = reached;
  const alike = (r: Reached | undefined) =>
    r !== undefined && r.opening === first?.opening && r.method === first.method && r.rawChild === first.rawChild;
  return first && reached.every(alike) ? first : undefined;
}
