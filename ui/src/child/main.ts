import {sendCredential} from "../data/http.js";
import {
  childInPath,
  deviceInAddress,
  deviceLink,
  goToChild,
  keepDeviceLink,
  lockedChild,
  rememberLetGo,
  rememberRevoked,
  setLock,
  unlock,
} from "./child-api.js";
import {placeTablet} from "./child-place.js";
import "./yss-child-page.js";
import {askParentPin, sayOnPage} from "./yss-child-pin.js";

/**
 * Before anything draws. A device link (`#device=<credential>`, as the Family page makes it) is kept
 * by this browser and dropped from the address: from then on the page sends it with every call, and
 * the browser stays on that child's page (the credential opens no other: at another child's address
 * the tablet goes to its own child's page before the page is drawn, child-place.ts). `?lock` keeps a
 * parent's browser on this child's page; `?unlock` lets it go, but only for a parent: their
 * signed-in session, or the parent PIN on a device link's tablet, typed on the page's own PIN pad
 * (which then forgets the link).
 */
const here = childInPath(window.location.pathname);
const params = new URLSearchParams(window.location.search);
const given = deviceInAddress(window.location.hash);
if (here && params.has("lock")) setLock(here);
// A new link opened on a tablet whose last one was revoked, or let go of: the tablet is linked again.
if (given) {
  rememberRevoked(false);
  rememberLetGo(undefined);
}
const place = placeTablet({here, given, kept: deviceLink(), locked: lockedChild()});
if (place.keep) keepDeviceLink(place.keep);
const device = deviceLink();
sendCredential(device ? `Device ${device.token}` : undefined);
if (params.has("lock") || params.has("unlock") || given)
  window.history.replaceState(null, "", window.location.pathname);
// The page is drawn (and asks for its shelf) only where it stays; a parent's `?unlock` goes along.
if (place.goTo) goToChild(place.goTo, params.has("unlock") ? "?unlock" : "");
else {
  if (params.has("unlock") && here) void letGo(here);
  document.body.append(document.createElement("yss-child-page"));
}

// A device link opened on this page (a QR code scanned, a link tapped) changes only the address's
// fragment, which loads nothing: the page starts again from it, as a link opened afresh does.
window.addEventListener("hashchange", () => {
  if (deviceInAddress(window.location.hash)) window.location.reload();
});

async function letGo(child: string): Promise<void> {
  if (!device) {
    try {
      await unlock(child);
      setLock(undefined);
      rememberRevoked(false);
    } catch (err) {
      sayOnPage(err instanceof Error ? err.message : String(err));
    }
    return;
  }
  // On the page itself, never a dialog: a kiosk browser may not show one, and it shows the digits.
  const unlocked = await askParentPin(async (pin) => {
    await unlock(child, pin);
  });
  if (!unlocked) return;
  keepDeviceLink(undefined);
  setLock(undefined);
  sendCredential(undefined);
  rememberLetGo(child);
  // At once: the page drawn with the link goes, and a new one asks without it (a parent's signed-in
  // browser then shows the shelf; a tablet without a parent's session says it is unlocked).
  document.querySelector("yss-child-page")?.replaceWith(document.createElement("yss-child-page"));
}
