import {deflateSync} from "node:zlib";
import {PNG} from "pngjs";
import {describe, expect, it} from "vitest";
import {checkPicture} from "../../../src/pictures/pictureCheck.js";
import {ihdr, png, pngChunk} from "../../helpers/pictureBombs.js";

/** A JPEG header (SOI, a comment, a 2×3 baseline frame): enough for a header reader. */
function jpegWithComment(comment: string): Buffer {
  const text = Buffer.from(comment, "latin1");
  const com = Buffer.concat([Buffer.from([0xff, 0xfe, 0, text.length + 2]), text]);
  const sof = Buffer.from([0xff, 0xc0, 0, 11, 8, 0, 3, 0, 2, 1, 1, 0x11, 0]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), com, sof, Buffer.from([0xff, 0xd9])]);
}

async function refusal(bytes: Buffer): Promise<{status: number; message: string}> {
  try {
    await checkPicture(bytes, "The upload");
  } catch (err) {
    return {status: (err as {status: number}).status, message: (err as Error).message};
  }
  throw new Error("taken");
}

describe("what a picture is, from its header", () => {
  it("takes PNG and JPEG at their sizes, and marks small ones as pixel art", async () => {
    expect(await checkPicture(PNG.sync.write(new PNG({width: 16, height: 16})), "x")).toMatchObject({
      type: "png",
      width: 16,
      height: 16,
      pixelArt: true,
    });
    // A photo whose comment mentions "<svg" is still the photo.
    expect(await checkPicture(jpegWithComment("made with <svg> tools"), "x")).toMatchObject({
      type: "jpg",
      width: 2,
      height: 3,
      pixelArt: true,
    });
  });

  it("refuses SVG with a size or without, other kinds by name, and nothing at all", async () => {
    const svg =
      "The upload is an SVG: SVG pictures are not taken, as an SVG can carry script. Send a PNG, JPEG, GIF or WebP";
    expect(await refusal(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'))).toEqual({
      status: 415,
      message: svg,
    });
    expect(await refusal(Buffer.from('\ufeff<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'))).toEqual({
      status: 415,
      message: svg,
    });
    const bmp = Buffer.alloc(54);
    bmp.write("BM", 0, "latin1");
    bmp.writeUInt32LE(40, 14);
    bmp.writeInt32LE(4, 18);
    bmp.writeInt32LE(4, 22);
    expect(await refusal(bmp)).toEqual({
      status: 415,
      message:
        "The upload is a BMP picture: only PNG, JPEG, GIF and WebP are taken. Save it as one of those and send it again",
    });
    const ico = Buffer.from([0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0, 0, 0, 0, 0, 22, 0, 0, 0]);
    expect((await refusal(ico)).message).toBe(
      "The upload is an ICO picture: only PNG, JPEG, GIF and WebP are taken. Save it as one of those and send it again",
    );
    expect(await refusal(Buffer.from("<!DOCTYPE html><html></html>"))).toEqual({
      status: 415,
      message:
        "The upload is not a picture: its first bytes are not those of a PNG, JPEG, GIF or WebP (it is a web page). Send one of those",
    });
    // 7000 × 7000 at 16 bits a colour: within 50 megapixels, but past what a decoder may use.
    const deep = png(ihdr(7000, 7000, {depth: 16}), pngChunk("IDAT", deflateSync(Buffer.alloc(0))));
    expect(await refusal(deep)).toEqual({
      status: 413,
      message:
        "The upload is 7000×7000 pixels of 16 bits a colour: reading it would take about 468 MB, more than the 348 MB a picture may use. Save it smaller, or with 8 bits a colour, and send it again",
    });
    expect(await refusal(Buffer.alloc(0))).toEqual({
      status: 400,
      message: "The upload is empty: send the picture's bytes (a PNG, JPEG, GIF or WebP)",
    });
  });
});
