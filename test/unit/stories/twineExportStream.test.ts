import {createHash} from "node:crypto";
import {describe, expect, it} from "vitest";
import {AppError} from "../../../src/core/errors.js";
import {storyToTwee} from "../../../src/stories/export/twee.js";
import {tweeStream} from "../../../src/stories/export/tweeStream.js";
import {bigStory} from "../../helpers/bigStory.js";

// Issue #86: a 2,000-passage export was written in one go and held the event loop half a second.
// It is now written in steps, a slice of time at a time; the file must stay the one it was.

/**
 * The export of bigStory(2000) as it was written before it was streamed (its SHA-256 and length),
 * taken from the function as it stood then: the streamed export must give these very bytes.
 */
const BEFORE = {sha256: "87f0eedbe8f6bbea37e524804bc2bccd3c0ecdd96c6b9b6432f27a6b9c475067", length: 552_477};

async function streamed(stream: AsyncIterable<Buffer>): Promise<{text: string; chunks: number}> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return {text: Buffer.concat(chunks).toString("utf8"), chunks: chunks.length};
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("a big story's Twee export, written in steps", () => {
  const story = bigStory(2000);

  it("is byte for byte the export it was before it was streamed, at once or streamed", async () => {
    const atOnce = storyToTwee(story);
    expect({sha256: sha256(atOnce), length: atOnce.length}).toEqual(BEFORE);
    // Menus, audio scenes, shared titles and conditions are all in it: the story tests every way of writing.
    expect(atOnce).toContain("\n[[Way 5 from 25->The same place (s26)]]\n");
    expect(atOnce).toContain("<!-- plays the stream stream_");
    expect(atOnce).toContain("[scene:s13]");
    expect((await streamed(tweeStream(story))).text).toBe(atOnce);
  });

  it("lets other work run between its steps: with no time allowed per slice, between every passage", async () => {
    let turns = 0;
    let done = false;
    // A callback that asks for the loop's next turn, each turn: how often the export let the loop go.
    const other = () => {
      turns++;
      if (!done) setImmediate(other);
    };
    setImmediate(other);
    const {text, chunks} = await streamed(tweeStream(story, {sliceMs: 0}));
    done = true;
    expect(text).toBe(storyToTwee(story));
    const passages = text.split("\n\n:: ").length - 1;
    expect(passages).toBeGreaterThan(1900);
    // A chunk per passage (and per head), and the loop's other work between each two.
    expect(chunks).toBeGreaterThanOrEqual(passages);
    expect(turns).toBeGreaterThanOrEqual(passages);
  });

  it("refuses an ink story before a byte is written, as the export at once does", () => {
    const ink = {...bigStory(3), ink: "/stories/lantern.json"};
    expect(() => tweeStream(ink)).toThrow(AppError);
    expect(() => tweeStream(ink)).toThrow(/is an ink story/);
    expect(() => storyToTwee(ink)).toThrow(/is an ink story/);
  });
});
