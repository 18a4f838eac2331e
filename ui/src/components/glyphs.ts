import {svg} from "lit";

/**
 * Transport glyphs drawn as SVG: the Unicode ones (⏮ ⏭ ⏹) are missing from many phone and kiosk
 * fonts. 24×24 boxes, filled with the text colour.
 */
const glyph = (shapes: ReturnType<typeof svg>) =>
  svg`<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="currentColor">${shapes}</svg>`;

export const GLYPHS = {
  play: glyph(svg`<polygon points="7,4 20,12 7,20" />`),
  pause: glyph(svg`<rect x="6" y="4" width="4" height="16" /><rect x="14" y="4" width="4" height="16" />`),
  stop: glyph(svg`<rect x="6" y="6" width="12" height="12" />`),
  previous: glyph(svg`<rect x="5" y="5" width="3" height="14" /><polygon points="19,5 9,12 19,19" />`),
  next: glyph(svg`<polygon points="5,5 15,12 5,19" /><rect x="16" y="5" width="3" height="14" />`),
};
