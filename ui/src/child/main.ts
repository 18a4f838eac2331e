import {sendCredential} from "../data/http.js";
import {childInPath, deviceInAddress, deviceLink, keepDeviceLink, lockedChild, setLock, unlock} from "./child-api.js";
import "./yss-child-page.js";

/**
 * Before anything draws. A device link (`#device=<credential>`, as the Family page makes it) is kept
 * by this browser and dropped from the address: from then on the page sends it with every call, and
 * the browser stays on that child's page (the credential opens no other). `?lock` keeps a parent's
 * browser on this child's page; `?unlock` lets it go, but only for a parent: their signed-in session,
 * or the parent PIN on a device link's tablet (which then forgets the link).
 */
const here = childInPath(window.location.pathname);
const params = new URLSearchParams(window.location.search);
const given = deviceInAddress(window.location.hash);
if (given && here) keepDeviceLink({token: given, child: here});
const device = deviceLink();
sendCredential(device ? `Device ${device.token}` : undefined);
if (here && params.has("lock")) setLock(here);
if (params.has("lock") || params.has("unlock") || given)
  window.history.replaceState(null, "", window.location.pathname);
if (params.has("unlock") && here) void letGo(here);
const locked = device?.child ?? lockedChild();
if (locked && locked !== here) window.location.replace(`child/${encodeURIComponent(locked)}`);

async function letGo(child: string): Promise<void> {
  try {
    if (!device) {
      await unlock(child);
      setLock(undefined);
      return;
    }
    const pin = window.prompt("Parent PIN");
    if (pin === null) return;
    await unlock(child, pin);
    keepDeviceLink(undefined);
    setLock(undefined);
    sendCredential(undefined);
  } catch (err) {
    window.alert(err instanceof Error ? err.message : String(err));
  }
}
