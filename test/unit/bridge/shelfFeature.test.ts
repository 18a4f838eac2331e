import {describe, expect, it} from "vitest";
import {type ShelfPort, selectOptions, shelfFeature} from "../../../src/bridge/shelfFeature.js";
import {BridgeTopics} from "../../../src/bridge/topics.js";
import {EventBus} from "../../../src/core/events.js";
import {Logger} from "../../../src/core/logger.js";

type Item = {id: string; title: string; kind: "card" | "stream" | "item" | "story_radio"};

/** A family of two, shelves as plain lists, a story radio for whoever is named: the port the root hands over. */
function world() {
  const shelvesOf = new Map<string, Item[]>([
    [
      "Mia",
      [
        {id: "card:songs", title: "Songs", kind: "card"},
        {id: "stream:lullabies", title: "Songs", kind: "stream"},
        {id: "story-radio", title: "Story radio", kind: "story_radio"},
      ],
    ],
    ["Ben", []],
  ]);
  const played: Array<[string, string, string]> = [];
  const bus = new EventBus(new Logger({level: "error"}));
  const names = () => [...shelvesOf.keys()];
  const port: ShelfPort = {
    shelves: {
      view: async (child) => ({items: shelvesOf.get(child) ?? []}),
      play: async (child, id, via) => {
        played.push([child, id, via]);
        return {played: id};
      },
    },
    storyRadio: {forChild: (child) => (child === "Mia" ? {stream: "story-radio-mia"} : undefined)},
    family: {
      list: () => ({children: names().map((name) => ({name}))}),
      child: (name) => {
        const found = names().find((n) => n.toLowerCase() === name.toLowerCase());
        if (!found) throw new Error(`No child '${name}'`);
        return {name: found};
      },
      names,
    },
    bus,
    topics: new BridgeTopics("yoto", "homeassistant"),
  };
  const feature = shelfFeature(port);
  /** Each change of the feature's entities resolves the promise waiting on it. */
  let waiting: (() => void) | undefined;
  const nextChange = () => new Promise<void>((resolve) => (waiting = resolve));
  const first = nextChange();
  const stop = feature.watch(() => waiting?.());
  return {feature, shelvesOf, played, bus, first, nextChange, stop};
}

describe("the shelf's Home Assistant entities", () => {
  it("offers each child's shelf as a select of unique titles, and story radio as a button while it has a stream", async () => {
    const w = world();
    await w.first;
    const comps = w.feature.components();
    expect(Object.keys(comps).sort()).toEqual(["family_mia_shelf", "family_mia_story_radio"]);
    expect(comps.family_mia_shelf).toMatchObject({
      platform: "select",
      name: "Mia shelf",
      command_topic: "yoto/bridge/request/shelf/play",
      command_template: `{{ {'child': "Mia", 'title': value} | tojson }}`,
      options: ["Songs", "Songs (2)"],
    });
    expect(comps.family_mia_story_radio).toMatchObject({
      platform: "button",
      command_topic: "yoto/bridge/request/shelf/story_radio",
      payload_press: `{"child":"Mia"}`,
    });
    w.stop();
  });

  it("follows the family: a shelf filled, a child gone", async () => {
    const w = world();
    await w.first;
    w.shelvesOf.set("Ben", [{id: "library:hum", title: "Hum", kind: "item"}]);
    w.shelvesOf.delete("Mia");
    const changed = w.nextChange();
    w.bus.emit("family.changed", {} as never);
    await changed;
    expect(Object.keys(w.feature.components())).toEqual(["family_ben_shelf"]);
    w.stop();
  });

  it("plays a pick by its title through the shelf, journalled as the shelf's select", async () => {
    const w = world();
    const play = w.feature.requests?.["shelf/play"];
    const radio = w.feature.requests?.["shelf/story_radio"];
    expect(await play?.({child: "mia", title: "Songs (2)"})).toEqual({played: "stream:lullabies"});
    expect(await radio?.({child: "Mia"})).toEqual({played: "story-radio"});
    expect(w.played).toEqual([
      ["Mia", "stream:lullabies", "shelf_select"],
      ["Mia", "story-radio", "shelf_select"],
    ]);
  });

  it("refuses in words that say what to send", async () => {
    const w = world();
    const play = (data: Record<string, unknown>) => w.feature.requests?.["shelf/play"]?.(data);
    await expect(play({title: "Songs"})).rejects.toThrow(`Name the child: {"child": "<name>"}`);
    await expect(async () => w.feature.requests?.["shelf/story_radio"]?.({child: ""})).rejects.toThrow(
      `Name the child: {"child": "<name>"}`,
    );
    await expect(play({child: "Mia", title: "Nope"})).rejects.toThrow(
      `'Nope' is not on Mia's shelf: its titles are 'Songs', 'Songs (2)'; send {"child": "Mia", "title": "<title>"}`,
    );
    await expect(play({child: "Mia"})).rejects.toThrow(
      `Name a title on Mia's shelf: its titles are 'Songs', 'Songs (2)'; send {"child": "Mia", "title": "<title>"}`,
    );
    await expect(play({child: "Ben", title: "Songs"})).rejects.toThrow(
      `'Songs' is not on Ben's shelf: the shelf is empty; send {"child": "Ben", "title": "<title>"}`,
    );
    // A title is looked up as the select offers it, never along the prototype.
    await expect(play({child: "Mia", title: "constructor"})).rejects.toThrow(`'constructor' is not on Mia's shelf`);
    expect(w.played).toEqual([]);
  });

  it("makes titles Home Assistant takes: unique, at most 255 characters, an untitled item by its id", () => {
    const long = "x".repeat(300);
    const options = selectOptions([
      {id: "a", title: long, kind: "card"},
      {id: "b", title: long, kind: "card"},
      {id: "c", title: "", kind: "item"},
    ]);
    expect([...options.keys()].map((t) => t.length)).toEqual([240, 244, 1]);
    expect([...options.values()]).toEqual(["a", "b", "c"]);
  });
});
