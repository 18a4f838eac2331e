import type {Library} from "../library/library.js";
import {answerRanged, type FastPath, type FastPathDeps, plainGet} from "./fastAnswer.js";
import type {FileResources} from "./fileResource.js";

const AUDIO_URL = /^\/audio\/([0-9a-f]{16})(?:\.[a-z0-9]{1,5})?$/;

export interface AudioFastPathDeps extends FastPathDeps {
  library: Library;
  files: FileResources;
}

/**
 * What players ask for most, a byte range of a library file, answered without the framework: a
 * Koa context, its middleware chain and the router were a tenth of such a request's time
 * (bench/rangeServing.ts). Only the plain case is taken — GET of a signed `/audio/<id>` URL with
 * no conditions and a satisfiable range (or none), within the rate limit — and it is answered with
 * the very headers the full path sends. Everything else (a bad signature, an unknown item, a
 * missing file, 304/412/416, HEAD, OPTIONS, over the limit) goes to `full`, which answers as always.
 */
export function audioFastPath(deps: AudioFastPathDeps): FastPath {
  return (req, res, full) => {
    const id = plainGet(req, deps, (pathname) => AUDIO_URL.exec(pathname)?.[1]);
    if (!id || !deps.library.get(id)) return full();
    deps.files.resource(deps.library.resolve(id)).then(
      (resource) => {
        if (!answerRanged(req, res, resource, deps.limiter)) full();
      },
      // A missing or unreadable file: the full path says so, as it always has.
      () => full(),
    );
  };
}
