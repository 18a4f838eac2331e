import {execFile} from "node:child_process";
import {mkdir, readdir, readFile, stat, symlink, writeFile} from "node:fs/promises";
import path from "node:path";
import {pathToFileURL} from "node:url";
import {promisify} from "node:util";
import {describe, expect, it} from "vitest";
import {parse} from "yaml";
import {PACKAGE_ROOT} from "../../../src/paths.js";
import {storiesCommand} from "../../../src/stories/import/cli.js";
import {makeTone} from "../../helpers/audio.js";
import {tempDir} from "../../helpers/tmp.js";

// tsx from this package, since the command runs in a temp folder.
const TSX = pathToFileURL(path.join(PACKAGE_ROOT, "node_modules", "tsx", "dist", "esm", "index.mjs")).href;

// A Twee 3 story written for this test.
const KITE = `:: StoryTitle
Kite Day

:: StoryData
{"start":"Hill"}

:: Hill
Wind! [[Run]] [[Sit]] [[Lonely]]

:: Run
Up it goes.

:: Sit
Quiet.

:: Lonely
(goto: "Hill") Nobody here.
`;

async function story() {
  const dir = await tempDir("yss-cli-import-");
  const file = path.join(dir, "kite.twee");
  await writeFile(file, KITE);
  return {dir, file};
}

describe("stories import", () => {
  it("writes the story under DIR/stories and prints what it did and its warnings", async () => {
    const {dir, file} = await story();
    const lines: string[] = [];
    const rules = path.join(dir, "rules");
    expect(await storiesCommand(["import", file, rules], (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual([
      `Imported story 'kite-day' (4 scenes, starts at 'hill') into ${path.join(rules, "stories", "kite-day.yaml")}`,
      "  warning: macro 'goto' (in 'Lonely') is not read and never runs",
    ]);
    const written = parse(await readFile(path.join(rules, "stories", "kite-day.yaml"), "utf8"));
    expect(written.story.scenes.hill).toMatchObject({left: "run", right: "sit", end: "lonely"});
  });

  it("copies recordings named after passages from audio/ beside the file, and imports ink", async () => {
    const {dir, file} = await story();
    await mkdir(path.join(dir, "audio"));
    await makeTone(path.join(dir, "audio", "Hill.mp3"), {seconds: 1});
    await writeFile(path.join(dir, "audio", "Elsewhere.mp3"), "not a passage of this story");
    const lines: string[] = [];
    const rules = path.join(dir, "rules");
    expect(await storiesCommand(["import", file, rules], (l) => lines.push(l))).toBe(0);
    expect(lines[1]).toBe("  1 recordings from audio/ are used instead of narration");
    expect(await readdir(path.join(rules, "stories", "kite-day", "audio"))).toEqual(["Hill.mp3"]);

    const ink = path.join(dir, "moth.ink");
    await writeFile(
      ink,
      "A moth circles the lamp.\n* [Follow it] It lands on your hand. -> END\n* [Let it go] -> END\n",
    );
    lines.length = 0;
    expect(await storiesCommand(["import", ink, rules], (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual([
      `Imported ink story 'moth' (its scenes are made as it plays) into ${path.join(rules, "stories", "moth.yaml")}`,
    ]);
    expect(parse(await readFile(path.join(rules, "stories", "moth.yaml"), "utf8")).story).toEqual({
      id: "moth",
      title: "moth",
      ink: "moth.ink.json",
    });
    expect(JSON.parse(await readFile(path.join(rules, "stories", "moth.ink.json"), "utf8")).inkVersion).toBeTypeOf(
      "number",
    );
  });

  it("copies no link or device from audio/, only plain recordings, and says which it left", async () => {
    const {dir, file} = await story();
    await mkdir(path.join(dir, "audio"));
    await makeTone(path.join(dir, "audio", "Hill.mp3"), {seconds: 1});
    await symlink("/etc/passwd", path.join(dir, "audio", "Run.mp3"));
    await symlink("/dev/zero", path.join(dir, "audio", "Sit.mp3"));
    const lines: string[] = [];
    const rules = path.join(dir, "rules");
    expect(await storiesCommand(["import", file, rules], (l) => lines.push(l))).toBe(0);
    expect(lines.slice(1)).toEqual([
      "  1 recordings from audio/ are used instead of narration",
      "  warning: macro 'goto' (in 'Lonely') is not read and never runs",
      "  warning: audio/Run.mp3 is a link: not copied (copy the recording itself there)",
      "  warning: audio/Sit.mp3 is a link: not copied (copy the recording itself there)",
    ]);
    const copied = path.join(rules, "stories", "kite-day", "audio");
    expect(await readdir(copied)).toEqual(["Hill.mp3"]);
    // Written with this service's own mode, whatever the recording's was.
    expect((await stat(path.join(copied, "Hill.mp3"))).mode & 0o022).toBe(0);
  });

  it("copies only recordings that are MP3 audio, as an upload is checked, and says which it left", async () => {
    const {dir, file} = await story();
    await mkdir(path.join(dir, "audio"));
    await makeTone(path.join(dir, "audio", "Hill.mp3"), {seconds: 1});
    await writeFile(path.join(dir, "audio", "Run.mp3"), "#!/bin/sh\necho this is no recording\n");
    await makeTone(path.join(dir, "audio", "Sit.mp3"), {seconds: 1, format: "wav"});
    const lines: string[] = [];
    const rules = path.join(dir, "rules");
    expect(await storiesCommand(["import", file, rules], (l) => lines.push(l))).toBe(0);
    expect(lines.slice(1)).toEqual([
      "  1 recordings from audio/ are used instead of narration",
      "  warning: macro 'goto' (in 'Lonely') is not read and never runs",
      "  warning: audio/Run.mp3 is not MP3 audio (no MPEG Layer III audio frames found): not copied (save the recording as MP3)",
      "  warning: audio/Sit.mp3 is not MP3 audio (no MPEG Layer III audio frames found): not copied (save the recording as MP3)",
    ]);
    expect(await readdir(path.join(rules, "stories", "kite-day", "audio"))).toEqual(["Hill.mp3"]);
  });

  it("runs from the command line, and exits 1 with the reason for a file it cannot import", async () => {
    const {dir, file} = await story();
    const cli = (...args: string[]) =>
      promisify(execFile)(process.execPath, ["--import", TSX, path.join(PACKAGE_ROOT, "src", "cli.ts"), ...args], {
        cwd: dir,
      });
    const ok = await cli("stories", "import", file);
    expect(ok.stdout).toContain(
      `Imported story 'kite-day' (4 scenes, starts at 'hill') into ${path.join(dir, "rules", "stories", "kite-day.yaml")}`,
    );
    await writeFile(path.join(dir, "notes.twee"), "no passages here");
    await expect(cli("stories", "import", "notes.twee")).rejects.toMatchObject({
      code: 1,
      stdout:
        "'notes.twee' is not a Twine story: expected Twee 3 text (passages start with '::') or a published Twine 2 HTML file\n",
    });
  });
});
