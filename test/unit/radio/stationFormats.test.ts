import {describe, expect, it} from "vitest";
import {IcyReader, streamTitle} from "../../../src/radio/icy.js";
import {shownInText, shownUrl} from "../../../src/radio/policyGet.js";
import {firstM3uEntry, firstPlsEntry} from "../../../src/radio/stationUrl.js";
import {readsInLinearTime} from "../../helpers/linearTime.js";

function block(text: string): Buffer {
  const body = Buffer.from(text);
  const units = Math.ceil(body.length / 16);
  const out = Buffer.alloc(1 + units * 16);
  out[0] = units;
  body.copy(out, 1);
  return out;
}

describe("ICY metadata", () => {
  it("takes the blocks out of the audio wherever the chunks split them, and reads each title", async () => {
    const titles: string[] = [];
    const reader = new IcyReader(4, (t) => titles.push(t));
    const audio: Buffer[] = [];
    reader.on("data", (c: Buffer) => audio.push(c));
    const wire = Buffer.concat([
      Buffer.from("AAAA"),
      block("StreamTitle='Baby Shark';StreamUrl='';"),
      Buffer.from("BBBB"),
      Buffer.from([0]), // an empty block: the title stays
      Buffer.from("CCCC"),
      block("StreamTitle='Rock-a-bye';"),
    ]);
    // One byte at a time: the worst split a socket can make.
    for (const byte of wire) reader.write(Buffer.from([byte]));
    reader.end();
    await new Promise((resolve) => reader.on("end", resolve));
    expect(Buffer.concat(audio).toString()).toBe("AAAABBBBCCCC");
    expect(titles).toEqual(["Baby Shark", "Rock-a-bye"]);
  });

  it("reads a title with an apostrophe in it, and leaves control characters out", () => {
    expect(streamTitle("StreamTitle='Don't Stop';StreamUrl='http://x';\0\0")).toBe("Don't Stop");
    expect(streamTitle("StreamTitle='Bells\u0007 ring';")).toBe("Bells ring");
    expect(streamTitle("StreamUrl='x';")).toBeUndefined();
  });
});

describe("station files", () => {
  it("takes a .pls file's lowest-numbered entry and an .m3u file's first address", () => {
    expect(firstPlsEntry("[playlist]\nFile2=http://b/2\nfile1 = http://a/1\nTitle1=A\n")).toBe("http://a/1");
    expect(firstM3uEntry("#EXTM3U\n#EXTINF:-1,Kids\n\nhttp://a/stream\nhttp://b/stream\n")).toBe("http://a/stream");
    expect(firstPlsEntry("[playlist]\n")).toBeUndefined();
  });

  it("never shows a station's password", () => {
    expect(shownUrl("https://family:s3cret@radio.example/kids.mp3")).toBe("https://radio.example/kids.mp3");
    expect(shownUrl("not a url://family:s3cret@x")).not.toContain("s3cret");
  });

  it("never shows a station's query (where listener tokens go): '?…' in its place", () => {
    expect(shownUrl("https://family:s3cret@radio.example/kids.mp3?token=abc&id=7#top")).toBe(
      "https://radio.example/kids.mp3?…#top",
    );
    expect(shownUrl("https://radio.example/kids.mp3?")).toBe("https://radio.example/kids.mp3");
    expect(shownUrl("not a url://radio.example/x?token=abc")).toBe("not a url://radio.example/x?…");
    expect(
      shownInText("The station at 'http://a:b@radio.example/s?token=1' failed (see https://x.example/y?k=2#f)"),
    ).toBe("The station at 'http://radio.example/s?…' failed (see https://x.example/y?…#f)");
  });

  it("reads text for addresses in time linear in its length", () => {
    const text = (n: number) => `${"http://".repeat(n)}?token=1`;
    expect(readsInLinearTime(text, shownInText, 200_000)).toBe(`${"http://".repeat(200_000)}?…`);
  });
});
