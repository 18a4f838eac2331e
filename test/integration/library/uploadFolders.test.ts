import {createReadStream} from "node:fs";
import path from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {storeUpload} from "../../../src/library/upload.js";
import {makeTone} from "../../helpers/audio.js";
import {tempDir} from "../../helpers/tmp.js";

/** One tone for every upload: only the folder differs. */
let tone: string;
beforeAll(async () => {
  tone = await makeTone(path.join(await tempDir("yss-upload-tone-"), "tone.mp3"), {seconds: 1});
});

async function upload(folder: string[]) {
  const dir = await tempDir("yss-upload-folders-");
  const uploads = path.join(dir, "uploads");
  const store = () =>
    storeUpload(uploads, {
      body: createReadStream(tone),
      filename: "A.mp3",
      maxBytes: 10 * 1024 * 1024,
      normalize: false,
      channels: "stereo",
      folder,
    });
  return {uploads, store};
}

describe("upload folders", () => {
  // A media server's id is base64url (of its UDN's hash), so about 1 server in 32 has one that
  // starts with '_' or '-': its tracks must still have a cache folder.
  it("takes a folder segment that starts with '_' or '-', as media servers' ids can", async () => {
    for (const id of ["_TFH8A5ryg", "-x3Kq9Lm0a"]) {
      const {uploads, store} = await upload(["media-servers", id]);
      expect(await store()).toBe(path.join(uploads, "media-servers", id, "A.mp3"));
    }
  });

  it("refuses a segment that could climb out or hide", async () => {
    for (const segment of ["..", ".incoming", "a/b", ""]) {
      const {store} = await upload(["media-servers", segment]);
      await expect(store()).rejects.toThrow(`upload folder segment '${segment}' is not allowed`);
    }
  });
});
