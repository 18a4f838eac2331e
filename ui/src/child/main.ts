import {childInPath, lockedChild, setLock} from "./child-api.js";
import "./yss-child-page.js";

/**
 * Before anything draws: `?lock` keeps this browser on this child's page, `?unlock` lets it go;
 * a locked browser opening another page of the service is brought back here.
 */
const here = childInPath(window.location.pathname);
const params = new URLSearchParams(window.location.search);
if (here && params.has("lock")) setLock(here);
if (params.has("unlock")) setLock(undefined);
if (params.has("lock") || params.has("unlock")) window.history.replaceState(null, "", window.location.pathname);
const locked = lockedChild();
if (locked && locked !== here) window.location.replace(`child/${encodeURIComponent(locked)}`);
