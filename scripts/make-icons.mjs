#!/usr/bin/env node
// Draws the add-on's icon.png (128×128) and logo.png (250×100) with pngjs: a rounded orange card
// with a white play sign and three sound waves. Run it again after changing the drawing.
import {writeFileSync} from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {PNG} from "pngjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Coverage of pixel (x, y) by `inside`, sampled 4×4 for smooth edges. */
function coverage(inside, x, y) {
  let hits = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (inside(x + (i + 0.5) / 4, y + (j + 0.5) / 4)) hits++;
  return hits / 16;
}

function draw(width, height, size, ox, oy) {
  const png = new PNG({width, height});
  png.data.fill(0);
  const s = size / 128;
  const card = (x, y) => {
    const [cx, cy] = [(x - ox) / s, (y - oy) / s];
    const r = 26;
    const dx = Math.max(r + 4 - cx, 0, cx - (124 - r));
    const dy = Math.max(r + 4 - cy, 0, cy - (124 - r));
    return cx >= 4 && cx <= 124 && cy >= 4 && cy <= 124 && dx * dx + dy * dy <= r * r;
  };
  const play = (x, y) => {
    const [cx, cy] = [(x - ox) / s, (y - oy) / s];
    return cx >= 34 && cx <= 70 && Math.abs(cy - 64) <= (70 - cx) * 0.6;
  };
  const wave = (x, y) => {
    const [cx, cy] = [(x - ox) / s, (y - oy) / s];
    const d = Math.hypot(cx - 62, cy - 64);
    const inArc = cx > 74 && Math.abs(Math.atan2(cy - 64, cx - 62)) < 0.75;
    return inArc && [22, 34, 46].some((radius) => Math.abs(d - radius) <= 3.5);
  };
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const c = coverage(card, x, y);
      if (c === 0) continue;
      const white = Math.max(coverage(play, x, y), coverage(wave, x, y));
      // Orange to warm red from top to bottom, white where the play sign and waves are.
      const t = (y - oy) / size;
      const base = [255, Math.round(140 - 60 * t), Math.round(40 + 10 * t)];
      for (let k = 0; k < 3; k++) png.data[i + k] = Math.round(base[k] * (1 - white) + 255 * white);
      png.data[i + 3] = Math.round(255 * c);
    }
  return PNG.sync.write(png);
}

writeFileSync(path.join(root, "icon.png"), draw(128, 128, 128, 0, 0));
writeFileSync(path.join(root, "logo.png"), draw(250, 100, 96, 77, 2));
console.log("wrote icon.png and logo.png");
