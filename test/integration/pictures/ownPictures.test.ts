import path from "node:path";
import {describe, expect, it} from "vitest";
import {requireFfmpeg} from "../../../src/core/ffmpeg.js";
import {Logger} from "../../../src/core/logger.js";
import {OwnPictures} from "../../../src/pictures/ownPictures.js";
import {PictureFiles} from "../../../src/pictures/pictureFiles.js";
import {Store} from "../../../src/store/store.js";
import {atFileEnd} from "../../helpers/fileEnd.js";
import {deflatedZeros, ihdr, plainPng, png, pngChunk} from "../../helpers/pictureBombs.js";
import {tempDir} from "../../helpers/tmp.js";

const HOUR = 3600_000;

describe("an item's own picture, made once", () => {
  it("does not fetch and read a refused picture again each hour; art that could not be fetched is tried again", async () => {
    const dir = await tempDir("yss-own-pictures-");
    const lines: string[] = [];
    const log = new Logger({level: "debug", sink: (line) => lines.push(line)});
    const store = new Store(path.join(dir, "data"), log);
    await store.start();
    atFileEnd(() => store.stop());
    const bomb = png(ihdr(64, 64, {interlaced: true}), pngChunk("IDAT", await deflatedZeros(64 * 1024 * 1024)));
    const sources: Record<string, string> = {"card:bomb": "http://art/bomb.png", "card:down": "http://art/down.png"};
    const fetched: string[] = [];
    let now = Date.UTC(2026, 10, 28, 18);
    let cdnUp = false;
    /** The pictures as the service starts them, on the same store and folder each time. */
    const started = async () => {
      const own = new OwnPictures({
        files: new PictureFiles(path.join(dir, "pictures"), () => requireFfmpeg().path),
        store,
        source: async (item) => ({url: sources[item] as string, source: "art", what: `Card '${item}'`}),
        fetch: async (url) => {
          fetched.push(url);
          if (url.endsWith("bomb.png")) return bomb;
          if (!cdnUp) throw new Error("The art's server is out of reach");
          return plainPng(8, 8);
        },
        log,
        now: () => now,
      });
      await own.start();
      return own;
    };
    const own = await started();
    const round = () => Promise.all(Object.keys(sources).map((item) => own.wanted(item) && own.make(item)));

    await round();
    expect(fetched).toEqual(["http://art/bomb.png", "http://art/down.png"]);
    expect(own.counts()).toEqual({own: 0, failed: 2});
    const drawn = lines.filter((l) => l.includes("it is drawn instead"));
    expect(drawn).toHaveLength(2);
    expect(drawn.join("\n")).toContain(
      "Card 'card:bomb''s art holds more pixel data than its size says (64×64 is 16504 bytes): it is damaged, or made to exhaust memory. Send another; it is drawn instead",
    );
    expect(drawn.join("\n")).toContain("The art's server is out of reach; it is drawn instead");

    // Two hours on (and a source asked again after six): only the art that could not be fetched is tried again.
    now += 2 * HOUR;
    cdnUp = true;
    await round();
    now += 7 * HOUR;
    await round();
    expect(fetched).toEqual(["http://art/bomb.png", "http://art/down.png", "http://art/down.png"]);
    expect(own.known("card:down")?.source).toBe("art");
    expect(own.known("card:bomb")).toBeUndefined();

    // Kept across a restart: a new start reads the refusal from the store, and fetches nothing.
    const again = await started();
    await again.make("card:bomb");
    expect(fetched).toHaveLength(3);

    // A card given other art is read at once.
    sources["card:bomb"] = "http://art/new.png";
    now += 7 * HOUR;
    await again.make("card:bomb");
    expect(fetched.at(-1)).toBe("http://art/new.png");
  });
});
