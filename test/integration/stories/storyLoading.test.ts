import {afterEach, describe, expect, it} from "vitest";
import type {Story} from "../../../src/stories/model/story.js";
import {startEngine} from "../../helpers/rules.js";

let stack: Awaited<ReturnType<typeof startEngine>> | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

// Streams only: the engine's library is empty, so scenes here play streams.
const GOOD = `story:
  id: cave
  title: The Cave
  start: gate
  variables: {torch: false}
  scenes:
    river:
      audio: {stream: river_sounds}
      left: gate
    gate:
      title: At the gate
      audio: {stream: gate_narration}
      left: tunnel
      right: river
    tunnel:
      audio: {stream: gate_narration}
      icon: yoto:#aBcDeFgHiJkLmNoP
      end: gate
      right: stop
`;

const RULES = `- id: make_streams
  triggers: [{trigger: startup}]
  actions:
    - {action: stream.replace, stream: river_sounds, items: []}
    - {action: stream.replace, stream: gate_narration, items: []}
`;

describe("story documents", () => {
  it("load beside rules, start scene first, with the streams rules create", async () => {
    stack = await startEngine({"cave.yaml": GOOD, "rules.yaml": RULES});
    const loaded = stack.storyFiles.stories;
    expect(stack.engine.errors()).toEqual([]);
    expect(loaded.map((s) => s.id)).toEqual(["cave"]);
    const cave = loaded[0] as Story;
    expect(cave.scenes.map((s) => s.id)).toEqual(["gate", "river", "tunnel"]);
    expect(cave.scenes[0]).toEqual({
      id: "gate",
      title: "At the gate",
      audio: {stream: "gate_narration"},
      exits: {left: "tunnel", right: "river"},
      icon: undefined,
    });
    expect(cave.scenes[2]?.icon).toBe("yoto:#aBcDeFgHiJkLmNoP");
    expect(cave).toMatchObject({mode: "interactive", start: "gate", variables: {torch: false}, file: "cave.yaml"});
  });

  it("report unreachable scenes, dangling exits, loops with no way out and bad audio at file:line:col", async () => {
    const dangling = `story:
  id: lost
  start: a
  scenes:
    a: {audio: {stream: nowhere}, left: b, right: c}
    b: {audio: missing/b.mp3, end: stop}
`;
    const loops = `story:
  id: loop
  start: a
  scenes:
    a:
      audio: {stream: s}
      end: b
    b:
      audio: {stream: s}
      end: a
    island:
      audio: {stream: s}
`;
    const shape = `story:
  id: Bad Id
  start: nowhere
  mode: branching
  scenes:
    a: {audio: 5, up: b}
extra: 1
`;
    stack = await startEngine({
      "a-lost.yaml": dangling,
      "b-loop.yaml": loops,
      "c-shape.yaml": shape,
      "rules.yaml":
        "- id: s\n  triggers: [{trigger: startup}]\n  actions: [{action: stream.replace, stream: s, items: []}]\n",
    });
    expect(stack.engine.errors().map((e) => e.text)).toEqual([
      "a-lost.yaml:5:25 story.scenes.a.audio.stream stream 'nowhere' does not exist (streams: s); create it first or with a stream.replace rule",
      "a-lost.yaml:6:16 story.scenes.b.audio 'missing/b.mp3' is not in the library",
      "a-lost.yaml:5:51 story.scenes.a.right 'c' is not a scene of this story: use one of a, b or 'stop'",
      "b-loop.yaml:12:7 story.scenes.island scene 'island' cannot be reached from the start scene 'a': lead to it with left, right or end, or remove it",
      "b-loop.yaml:6:7 story.scenes.a scenes 'a', 'b' loop with no way out: give one of them an exit to 'stop' or to a scene that can end",
      "c-shape.yaml:7:8 extra a story file holds only 'story:'; move 'extra' to a rules file",
      "c-shape.yaml:2:7 story.id id must be lower-case letters, digits, '-' or '_' (it is part of the scene URLs)",
      "c-shape.yaml:4:9 story.mode mode must be interactive, linear or streamed",
      "c-shape.yaml:6:23 story.scenes.a.up unknown key 'up' (a scene has title, audio, say, prompts, set, icon, left, right, end)",
      "c-shape.yaml:6:16 story.scenes.a.audio audio must be a library item (id or path), a list of them, or {stream: <name>} (or give the scene say: <text to narrate>)",
      "c-shape.yaml:3:10 story.start start must name a scene (a)",
    ]);
    expect(stack.storyFiles.stories).toEqual([]);
  });
});
