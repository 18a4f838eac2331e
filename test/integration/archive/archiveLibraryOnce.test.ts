import {copyFile, mkdir, readFile} from "node:fs/promises";
import path from "node:path";
import {afterEach, describe, expect, inject, it} from "vitest";
import {SAMPLE_TRACKS} from "../../../src/demo/sampleAudio.js";
import {type ArchiveStack, addFamilyCard, archiveNow, archiveStack} from "../../helpers/familyArchive.js";
import {call} from "../../helpers/http.js";
import {untilAdded} from "../../helpers/streamAdding.js";
import {tempDir} from "../../helpers/tmp.js";

let stack: ArchiveStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe("an archived card whose songs the family keeps in a media folder too", () => {
  it("plays the library's own files, so the Library lists each song once however often it is made playable", async () => {
    // As in the demo: the card "Grandma's songs" is the three sample tracks of the media folder.
    const root = await tempDir("yss-archive-once-");
    for (const sample of SAMPLE_TRACKS) {
      await mkdir(path.dirname(path.join(root, "media", sample.file)), {recursive: true});
      await copyFile(path.join(inject("demoMedia"), sample.file), path.join(root, "media", sample.file));
    }
    stack = await archiveStack([], {root});
    const {sim, t, api} = stack;
    const tracks = [];
    for (const sample of SAMPLE_TRACKS) {
      const sha = sim.addMedia(await readFile(path.join(root, "media", sample.file)));
      tracks.push({title: sample.title, sha, seconds: Number(/:d=(\d+)/.exec(sample.source)?.[1])});
    }
    await addFamilyCard(sim, "dFam1", "Grandma's songs", tracks);
    expect((await archiveNow(api)).run).toMatchObject({state: "done", problems: []});
    const listed = async () =>
      ((await call("GET", `${api}/library`)).body.items as Array<{title: string; relPath: string}>).map(
        (i) => `${i.title} (${i.relPath})`,
      );
    const before = await listed();
    expect(before).toEqual([
      "Twinkle Tone (lullabies/01 Twinkle Tone.mp3)",
      "Slow Waves (lullabies/02 Slow Waves.mp3)",
      "Wake Up Chime (morning/01 Wake Up Chime.mp3)",
    ]);

    const answer = await call("POST", `${api}/archive/dFam1/stream`, {});
    await untilAdded(t.app, answer.body.stream);
    expect(await listed()).toEqual(before);
    // Nothing to make: the stream is whole at the answer, of the media folder's own items.
    expect(answer.body).toMatchObject({stream: "grandmas-songs", items: 3, ready: 3});
    const ids = t.app.library
      .items()
      .filter((i) => i.source === "media")
      .sort((a, b) => a.relPath.localeCompare(b.relPath))
      .map((i) => i.id);
    expect(t.app.streams.get("grandmas-songs").items).toEqual(ids);
    // Again, and as a card whose tracks stream from here: still one item a song.
    expect((await call("POST", `${api}/archive/dFam1/stream`, {})).body).toMatchObject({ready: 3});
    const restored = await call("POST", `${api}/archive/dFam1/restore`, {audio: "stream"});
    expect(restored.body).toMatchObject({audio: "stream", check: {ok: true}});
    await untilAdded(t.app, "grandmas-songs");
    expect(await listed()).toEqual(before);
  }, 60_000);
});
