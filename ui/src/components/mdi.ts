import {svg} from "lit";

/**
 * A Material Design Icon, as Home Assistant draws them: a 24×24 path filled with the text colour.
 * Icons come from `@mdi/js` by name (`import {mdiPlay} from "@mdi/js"`), so the bundle carries only
 * the paths the panel imports, not the whole set.
 */
export function mdi(path: string, size = 24) {
  return svg`<svg viewBox="0 0 24 24" width=${size} height=${size} aria-hidden="true" focusable="false"><path fill="currentColor" d=${path} /></svg>`;
}
