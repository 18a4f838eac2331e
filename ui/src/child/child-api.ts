import type {ChildrenList, ChildShelf, ShelfAnswer, ShelfControl} from "../../../src/shared/api/index.js";
import {ApiError, request} from "../data/http.js";
import type {DeviceLink} from "./child-place.js";

export type {ChildShelf, ShelfAnswer, ShelfItem, ShelfPlayer} from "../../../src/shared/api/index.js";

const shelfPath = (child: string) => `api/children/${encodeURIComponent(child)}/shelf`;

export const getShelf = (child: string) => request<ChildShelf>("GET", shelfPath(child));

/** The children's names, for the page that lets a child find its own shelf. */
export async function childNames(): Promise<string[]> {
  const list = await request<ChildrenList>("GET", "api/children");
  return list.children.map((c) => c.name);
}

/** A 429 is the service saying a tap was just taken: an answer, not a failure. */
async function answer(path: string, body?: unknown): Promise<ShelfAnswer> {
  try {
    return await request<ShelfAnswer>("POST", path, body);
  } catch (err) {
    if (err instanceof ApiError && err.status === 429) return {outcome: "busy", text: err.message};
    throw err;
  }
}

export const playItem = (child: string, id: string) => answer(`${shelfPath(child)}/play`, {id});
export const control = (child: string, body: ShelfControl) => answer(`${shelfPath(child)}/control`, body);
export const askForMore = (child: string) => answer(`${shelfPath(child)}/ask`);
/** The moon, tapped at night: the child's sleep sound (within the family plan). */
export const sleepSound = (child: string) => answer(`${shelfPath(child)}/sleep`);

/** Where the page is: `child/<name>` under the panel's root (ingress adds its own prefix before it). */
export function childInPath(pathname: string): string | undefined {
  const m = /\/child\/([^/]+)\/?$/.exec(pathname);
  if (!m?.[1]) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
}

const LOCK_KEY = "yss.childLock";

/**
 * A tablet locked to one child: set with `?lock` on that child's page, lifted with `?unlock`
 * (a parent types it; a child has no keyboard and no link to it). Kept by the browser.
 */
export function lockedChild(): string | undefined {
  try {
    return window.localStorage.getItem(LOCK_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function setLock(child: string | undefined): void {
  try {
    if (child === undefined) window.localStorage.removeItem(LOCK_KEY);
    else window.localStorage.setItem(LOCK_KEY, child);
  } catch {
    // Storage refused (a private window): the page works, unlocked.
  }
}

const DEVICE_KEY = "yss.device";

export type {DeviceLink} from "./child-place.js";

export function deviceLink(): DeviceLink | undefined {
  try {
    const kept = JSON.parse(window.localStorage.getItem(DEVICE_KEY) ?? "null") as DeviceLink | null;
    return kept && typeof kept.token === "string" && typeof kept.child === "string" ? kept : undefined;
  } catch {
    return undefined;
  }
}

export function keepDeviceLink(link: DeviceLink | undefined): void {
  try {
    if (link === undefined) window.localStorage.removeItem(DEVICE_KEY);
    else window.localStorage.setItem(DEVICE_KEY, JSON.stringify(link));
  } catch {
    // Storage refused (a private window): the link works until the page is closed.
  }
}

const REVOKED_KEY = "yss.deviceRevoked";

/**
 * This tablet's link was revoked: its credential is forgotten at once, but the tablet remembers that
 * it was revoked, so a reload still shows the revoked picture (not the fault's cloud) until a new
 * link is opened on it or a parent unlocks it.
 */
export function linkRevoked(): boolean {
  try {
    return window.localStorage.getItem(REVOKED_KEY) !== null;
  } catch {
    return false;
  }
}

export function rememberRevoked(revoked: boolean): void {
  try {
    if (revoked) window.localStorage.setItem(REVOKED_KEY, new Date().toISOString());
    else window.localStorage.removeItem(REVOKED_KEY);
  } catch {
    // Storage refused (a private window): a reload forgets it was revoked.
  }
}

const LET_GO_KEY = "yss.deviceLetGo";

/**
 * The child whose link this tablet let go of with the parent PIN: the page says so (at once, and
 * after a reload) rather than the fault's cloud, until a new link is opened on it or a parent signs in.
 */
export function letGoOf(): string | undefined {
  try {
    return window.localStorage.getItem(LET_GO_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function rememberLetGo(child: string | undefined): void {
  try {
    if (child === undefined) window.localStorage.removeItem(LET_GO_KEY);
    else window.localStorage.setItem(LET_GO_KEY, child);
  } catch {
    // Storage refused (a private window): a reload shows the fault's cloud instead.
  }
}

/** `#device=<credential>`, as a device link opens the page: taken, and dropped from the address. */
export function deviceInAddress(hash: string): string | undefined {
  const m = /^#device=([\w-]{20,100})$/.exec(hash);
  return m?.[1];
}

/** A locked tablet lets go: the parent's own session may, a device link only with the parent PIN. */
export const unlock = (child: string, pin?: string) =>
  request<{unlocked: boolean}>(
    "POST",
    `api/children/${encodeURIComponent(child)}/unlock`,
    pin === undefined ? {} : {pin},
  );

/** To a child's page, in place of this one (the way back would return here). */
export function goToChild(child: string, query = ""): void {
  window.location.replace(`child/${encodeURIComponent(child)}${query}`);
}
