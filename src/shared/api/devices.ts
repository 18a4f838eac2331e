/** A child's device link, as the Family page lists it: never its credential. */
export interface DeviceLinkView {
  id: string;
  /** The child whose page it opens. */
  child: string;
  /** What the parent called the tablet ("Kitchen tablet"). */
  name: string;
  created_at: string;
  /** When a request last came with it (to the minute), or null when never. */
  last_used_at: string | null;
}

/**
 * `POST /api/children/<name>/devices`: the new link, its credential once, the page's address with it
 * (relative to the panel's root; the page keeps the credential and drops it from the address), and
 * that address as a QR code (SVG) for the tablet's camera.
 */
export interface DeviceLinkMade {
  link: DeviceLinkView;
  token: string;
  /** `child/<name>#device=<token>`, relative to the panel's root. */
  path: string;
  /** The whole address, when the service knows the panel's address (`panel_url`, or the request's own). */
  url: string;
  qr_svg: string;
}

/** `GET /api/children/<name>/devices` and `GET /api/devices`. */
export interface DeviceLinksList {
  links: DeviceLinkView[];
  /** Whether a parent PIN is set (unlocking a locked tablet asks for it). */
  pin_set: boolean;
}
