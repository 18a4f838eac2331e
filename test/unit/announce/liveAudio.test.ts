import {describe, expect, it} from "vitest";
import {LiveAudio} from "../../../src/announce/liveAudio.js";
import {looksLikeAudio} from "../../../src/announce/liveClip.js";

async function collect(live: LiveAudio): Promise<string> {
  let out = "";
  for await (const chunk of live.follow()) out += chunk.toString();
  return out;
}

describe("LiveAudio", () => {
  it("gives a reader the chunks made before it came and those made after, then ends with the audio", async () => {
    const live = new LiveAudio(100);
    live.append(Buffer.from("ab"));
    const early = collect(live);
    await new Promise((r) => setTimeout(r, 5));
    live.append(Buffer.from("cd"));
    const late = collect(live);
    live.append(Buffer.from("e"));
    live.end();
    expect(await early).toBe("abcde");
    expect(await late).toBe("abcde");
    await live.finished;
    expect(live.bytes().toString()).toBe("abcde");
    expect(live.size).toBe(5);
  });

  it("ends readers with what there was when it fails, and refuses to grow past its limit", async () => {
    const live = new LiveAudio(4);
    const reader = collect(live);
    live.append(Buffer.from("abc"));
    live.append(Buffer.from("de"));
    expect(await reader).toBe("abc");
    await expect(live.finished).rejects.toThrow("the audio grew past 4 bytes");
    expect(() => live.bytes()).toThrow("the audio grew past 4 bytes");
    live.append(Buffer.from("x"));
    expect(live.size).toBe(3);
  });
});

describe("looksLikeAudio", () => {
  const pad = (head: number[] | string) =>
    Buffer.concat([typeof head === "string" ? Buffer.from(head, "latin1") : Buffer.from(head), Buffer.alloc(12)]);
  it("knows the containers ffmpeg reads for an announcement, and not a web page", () => {
    for (const head of ["ID3\x04", "RIFF", "OggS", "fLaC", "FORM", "\0\0\0\x20ftypM4A "])
      expect(looksLikeAudio(pad(head)), head).toBe(true);
    // MPEG audio: a header counts only with the next one at its frame's length (417 bytes at 128 kb/s, 44.1 kHz).
    const frame = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0xc4]), Buffer.alloc(413)]);
    expect(looksLikeAudio(Buffer.concat([frame, frame]))).toBe(true);
    expect(looksLikeAudio(pad([0xff, 0xfb, 0x90]))).toBe(false);
    expect(looksLikeAudio(pad([0x1a, 0x45, 0xdf, 0xa3]))).toBe(true);
    expect(looksLikeAudio(pad("<!doctype html>"))).toBe(false);
    expect(looksLikeAudio(pad('{"error": 1}'))).toBe(false);
    expect(looksLikeAudio(Buffer.from("ID3"))).toBe(false);
  });
});
