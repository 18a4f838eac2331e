import {deflateSync} from "node:zlib";
import {PNG} from "pngjs";
import {describe, expect, it} from "vitest";
import {convertToIcon, ICON_MAX_BYTES, validateIcon} from "../../../src/icons/png.js";
import {deflatedZeros, ihdr, png as pngBytes, pngChunk} from "../../helpers/pictureBombs.js";

/** A real PNG of `w`×`h` whose pixel (x, y) is `pixel(x, y)` as RGBA. */
function png(w: number, h: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const image = new PNG({width: w, height: h});
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) image.data.set(pixel(x, y), (y * w + x) * 4);
  return PNG.sync.write(image);
}

const at = (image: PNG, x: number, y: number) => [
  ...image.data.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4),
];

describe("16×16 icons", () => {
  it("accept a 16×16 PNG and refuse the rest with exact reasons", async () => {
    expect((await validateIcon(png(16, 16, () => [1, 2, 3, 255]))).width).toBe(16);
    const bytesList = [
      Buffer.alloc(0),
      png(32, 32, () => [0, 0, 0, 255]),
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]),
      Buffer.from("GIF89a......"),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      Buffer.concat([png(16, 16, () => [0, 0, 0, 255]).subarray(0, 40)]),
      Buffer.alloc(ICON_MAX_BYTES + 1),
    ];
    const errors = await Promise.all(
      bytesList.map((bytes) =>
        validateIcon(bytes).then(
          () => "accepted",
          (err: Error) => err.message,
        ),
      ),
    );
    expect(errors).toEqual([
      "The icon is empty: send the PNG file's bytes as the body",
      "The icon is 32×32 pixels; Yoto icons are exactly 16×16 (upload it with convert on to resize it)",
      "The icon is not a PNG image (it is a JPEG): save it as PNG",
      "The icon is not a PNG image (it is a GIF): save it as PNG",
      "The icon is not a PNG image (it looks like SVG or HTML): save it as PNG",
      "The icon is not a well-formed PNG: it ends inside a chunk. Send it again, or another",
      "The icon is 65 KB; the limit is 64 KB: save it as a plain 16×16 PNG",
    ]);
  });

  it("convert by area averaging: a 1-pixel checkerboard becomes its mean, alpha kept, colour not darkened", async () => {
    const checker = png(64, 64, (x, y) => ((x + y) % 2 === 0 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
    const grey = PNG.sync.read(await convertToIcon(checker));
    expect([grey.width, grey.height]).toEqual([16, 16]);
    for (const [x, y] of [
      [0, 0],
      [7, 9],
      [15, 15],
    ])
      expect(at(grey, x as number, y as number)).toEqual([128, 128, 128, 255]);

    // Half the source pixels transparent: alpha halves, but the red stays pure red.
    const halfRed = png(32, 32, (x) => (x % 2 === 0 ? [255, 0, 0, 255] : [0, 0, 0, 0]));
    expect(at(PNG.sync.read(await convertToIcon(halfRed)), 3, 3)).toEqual([255, 0, 0, 128]);

    // 3×1 → 16×5 area covers fractions of source pixels; not a multiple of 16 still averages.
    const odd = png(48, 15, (x) => (x < 16 ? [255, 0, 0, 255] : x < 32 ? [0, 255, 0, 255] : [0, 0, 255, 255]));
    const icon = PNG.sync.read(await convertToIcon(odd));
    expect(at(icon, 0, 0)).toEqual([0, 0, 0, 0]); // letterboxed: the margins are transparent
    expect(at(icon, 2, 8)).toEqual([255, 0, 0, 255]);
    expect(at(icon, 8, 8)).toEqual([0, 255, 0, 255]);
    expect(at(icon, 5, 8)).toEqual([85, 170, 0, 255]); // straddles red and green: one third red
    expect((await validateIcon(await convertToIcon(odd))).height).toBe(16);
  });

  it("reads a picture to convert only within its ceilings: a bomb and a huge picture are refused in words", async () => {
    const zeros = await deflatedZeros(256 * 1024 * 1024);
    const bomb = pngBytes(ihdr(64, 64, {interlaced: true}), pngChunk("IDAT", zeros));
    await expect(convertToIcon(bomb)).rejects.toMatchObject({
      status: 400,
      message:
        "The icon holds more pixel data than its size says (64×64 is 16504 bytes): it is damaged, or made to exhaust memory. Send another",
    });
    const huge = pngBytes(ihdr(3000, 2000), pngChunk("IDAT", deflateSync(Buffer.alloc(0))));
    await expect(convertToIcon(huge)).rejects.toMatchObject({
      status: 400,
      message: "The icon is 3000×2000 pixels; a picture made into an icon may be at most 4 megapixels: make it smaller",
    });
  });
});
