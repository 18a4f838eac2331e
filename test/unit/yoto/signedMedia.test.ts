import {describe, expect, it} from "vitest";
import {AppError} from "../../../src/core/errors.js";
import {yotoErrorMessage} from "../../../src/yoto/rest.js";
import {unsignCard, yotoRefOf} from "../../../src/yoto/signedMedia.js";

// Hashes and media ids made up for these tests, in the shapes Yoto uses (43-char base64url ids).
const SHA = "Qm7vT2xk9LpA4rZc8YwE1nH6sJd3fGbU0oVyKtRiXq5";
const ICON = "aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY2zA4cE6gI8k";
const SIGNED_PATH = `https://secure-media.yotoplay.com/yoto/${SHA}?Expires=1768289566&Policy=eyJTdGF0ZW1lbnQiOltdfQ__&Signature=Zm9v~bar__&Key-Pair-Id=K2EXAMPLE`;
const SIGNED_POLICY = `https://secure-media.yotoplay.com/cG9saWN5dG9rZW4~/${SHA}?Expires=1&Signature=S&Key-Pair-Id=K#sha256=${SHA}`;

describe("Yoto-hosted links back to references", () => {
  it("reads the sha from the #sha256 fragment, the /yoto/ path or the ~/ path", () => {
    expect(yotoRefOf(SIGNED_PATH)).toBe(`yoto:#${SHA}`);
    expect(yotoRefOf(SIGNED_POLICY)).toBe(`yoto:#${SHA}`);
    expect(yotoRefOf(`https://card-content.yotoplay.com/yoto/${ICON}`)).toBe(`yoto:#${ICON}`);
    expect(yotoRefOf(`https://card-content.yotoplay.com/cG9saWN5~/${ICON}`)).toBe(`yoto:#${ICON}`);
  });

  it("leaves our own URLs, other hosts, public covers and look-alike hosts alone", () => {
    expect(yotoRefOf("https://home.example.net:8443/audio/streams/bedtime.mp3?sig=abc")).toBeUndefined();
    expect(yotoRefOf(`https://card-content.yotoplay.com/yoto/pub/${ICON}`)).toBeUndefined();
    expect(yotoRefOf(`https://yotoplay.com.evil.example/yoto/${SHA}`)).toBeUndefined();
    expect(yotoRefOf(`http://secure-media.yotoplay.com/yoto/${SHA}`)).toBeUndefined();
    expect(yotoRefOf(`yoto:#${SHA}`)).toBeUndefined();
    expect(yotoRefOf("https://[not a url")).toBeUndefined();
  });

  it("treats the cloud it is pointed at (the simulator) like Yoto's hosts, and only that origin", () => {
    const sim = "http://127.0.0.1:4100";
    const link = `${sim}/secure-media/yoto/${SHA}?Expires=1&Signature=S#sha256=${SHA}`;
    expect(yotoRefOf(link, [sim])).toBe(`yoto:#${SHA}`);
    expect(yotoRefOf(`${sim}/card-content/yoto/${ICON}`, [sim])).toBe(`yoto:#${ICON}`);
    expect(yotoRefOf(link)).toBeUndefined();
    expect(yotoRefOf(link.replace("4100", "4101"), [sim])).toBeUndefined();
    expect(yotoRefOf(`${sim}.evil.example/secure-media/yoto/${SHA}`, [sim])).toBeUndefined();
  });

  it("turns every signed track and icon of a card read back into yoto:# references, and nothing else", () => {
    const ours = "https://home.example.net/audio/streams/bedtime.mp3?exp=1&sig=x";
    const read = {
      cardId: "ab12C",
      title: "Bedtime",
      metadata: {cover: {imageL: `https://card-content.yotoplay.com/yoto/pub/${ICON}`}},
      content: {
        playbackType: "linear",
        chapters: [
          {
            key: "01",
            title: "Uploaded",
            display: {icon16x16: `https://card-content.yotoplay.com/yoto/${ICON}`},
            tracks: [
              {
                key: "01",
                trackUrl: SIGNED_PATH,
                type: "audio",
                display: {icon16x16: `https://card-content.yotoplay.com/yoto/${ICON}`},
              },
              {key: "02", trackUrl: SIGNED_POLICY, type: "audio", display: null},
            ],
          },
          {
            key: "02",
            title: "Streamed",
            display: {icon16x16: `yoto:#${ICON}`},
            tracks: [{key: "01", trackUrl: ours, type: "stream"}],
          },
        ],
      },
    };
    const written = unsignCard(read);
    const [first, second] = written.content.chapters as Array<{
      display: {icon16x16: string};
      tracks: Array<Record<string, unknown>>;
    }>;
    expect(first?.display.icon16x16).toBe(`yoto:#${ICON}`);
    expect(first?.tracks.map((t) => t.trackUrl)).toEqual([`yoto:#${SHA}`, `yoto:#${SHA}`]);
    expect(first?.tracks[0]?.display).toEqual({icon16x16: `yoto:#${ICON}`});
    expect(first?.tracks[1]?.display).toBeNull();
    expect(second?.tracks[0]?.trackUrl).toBe(ours);
    expect(second?.display.icon16x16).toBe(`yoto:#${ICON}`);
    expect(written.metadata).toEqual(read.metadata);
    // The card read is not changed underneath its owner.
    expect(read.content.chapters[0]?.tracks[0]?.trackUrl).toBe(SIGNED_PATH);
  });

  it("refuses to write a signed Yoto link it cannot turn back, naming the chapter and track", () => {
    const card = {
      content: {
        chapters: [
          {key: "03", tracks: [{key: "02-1", trackUrl: "https://secure-media.yotoplay.com/x?Expires=1&Signature=s"}]},
        ],
      },
    };
    expect(() => unsignCard(card)).toThrow(AppError);
    expect(() => unsignCard(card)).toThrow(
      "The card's chapter '03' track '02-1' is a signed Yoto link this service cannot turn back into a 'yoto:#' reference; it was not written, because the link expires within the hour. Re-pick that audio or icon in Yoto's app and try again",
    );
  });
});

describe("Yoto's error bodies", () => {
  it("shows error.message of the documented body, then older forms", () => {
    expect(yotoErrorMessage({error: {code: "not-found", message: "Card not found"}})).toBe("Card not found");
    expect(yotoErrorMessage({error: {code: "bad-request"}})).toBe("bad-request");
    expect(yotoErrorMessage({message: "Invalid token"})).toBe("Invalid token");
    expect(yotoErrorMessage({error: "Unauthorized"})).toBe("Unauthorized");
    expect(yotoErrorMessage([])).toBeUndefined();
    expect(yotoErrorMessage(null)).toBeUndefined();
  });
});
