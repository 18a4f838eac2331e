/** A tablet's device link: the credential, and the child whose page it opens. Kept by the browser. */
export interface DeviceLink {
  token: string;
  child: string;
}

/** Where a tablet's page opens, decided before anything is drawn or asked for. */
export interface Place {
  /** A device link to keep from now on (undefined: what is kept stays). */
  keep?: DeviceLink;
  /** The child whose page this tablet opens instead of the address's. */
  goTo?: string;
}

/**
 * A device link in the address (`#device=`) that is the one the tablet keeps stays its own
 * child's, whatever the address says; a new one is taken for the address's child (were it another
 * child's, the service's refusal names that child and the page goes there: yss-child-page.ts). A
 * tablet whose link, or lock, is another child's goes to that child's page at once: nothing of the
 * address's child is asked for, nothing is drawn.
 */
export function placeTablet(at: {here?: string; given?: string; kept?: DeviceLink; locked?: string}): Place {
  const keep = at.given && at.here && at.given !== at.kept?.token ? {token: at.given, child: at.here} : undefined;
  const own = (keep ?? at.kept)?.child ?? at.locked;
  return {keep, goTo: own !== undefined && own !== at.here ? own : undefined};
}
