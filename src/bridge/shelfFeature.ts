import {badRequest} from "../core/errors.js";
import type {EventBus} from "../core/events.js";
import type {ShelfItem} from "../shared/api/shelf.js";
import type {Component} from "./discovery.js";
import {childEntity, childEntityKey} from "./familyFeature.js";
import type {BridgeFeature} from "./features.js";
import type {BridgeTopics} from "./topics.js";

/** Old titles kept per child: a shelf's worth (it holds at most 100 things). */
const FORMER_TITLES = 100;

/** Bridge requests of the shelf's Home Assistant entities, each `{"child": …}` (and the select's `"title"`). */
export const SHELF_REQUESTS = {play: "shelf/play", storyRadio: "shelf/story_radio"} as const;

/**
 * What the shelf's entities read and drive, as the bridge needs it and no more: the shelves and story
 * radio are faces and floor beside and above the bridge, so the root hands them over in this shape.
 */
export interface ShelfPort {
  shelves: {
    view(child: string): Promise<{items: ReadonlyArray<Pick<ShelfItem, "id" | "title" | "kind">>}>;
    /** A pick from the select or the story radio button: the play gate journals it as `shelf_select`. */
    play(child: string, id: string, via: "shelf_select"): Promise<unknown>;
  };
  /** Whether the child's story radio has a stream now (its button is offered only then). */
  storyRadio: {forChild(child: string): unknown};
  /** The plan: its children, one by name (a 404 naming the children), and their names. */
  family: {
    list(): {children: ReadonlyArray<{name: string}>};
    child(name: string): {name: string};
    names(): string[];
  };
  bus: EventBus;
  topics: BridgeTopics;
}

/**
 * Per child on the bridge device: "<child> shelf" (a select: picking a title plays it) and "<child>
 * story radio" (a button, while the child's story radio has a stream).
 */
export function shelfFeature(port: ShelfPort): BridgeFeature {
  const {shelves, storyRadio, family, bus, topics} = port;
  /** The titles each child's select offers, as last published: a pick is played by its title. */
  const titles = new Map<string, Map<string, string>>();
  /**
   * Titles a child's select offered before (a card made from a stream names it anew): Home
   * Assistant may send one a moment after the select changed. The shelf checks the item is on it.
   */
  const formerly = new Map<string, Map<string, string>>();
  const remember = (name: string, offered: Map<string, string>) => {
    const kept = formerly.get(name) ?? new Map<string, string>();
    for (const [title, id] of offered) {
      // Set again, so the newest are last and the oldest go first.
      kept.delete(title);
      kept.set(title, id);
    }
    for (const title of kept.keys()) if (kept.size > FORMER_TITLES) kept.delete(title);
    formerly.set(name, kept);
  };
  const child = (data: Record<string, unknown>) => {
    if (typeof data.child !== "string" || data.child === "")
      throw badRequest(`Name the child: {"child": "<name>"}`, "invalid_payload");
    return data.child;
  };
  return {
    name: "shelf",
    components: () => {
      const out: Record<string, Component> = {};
      for (const view of family.list().children) {
        const key = (what: string) => childEntityKey(view.name, what);
        const entity = (what: string, platform: string, extra: Record<string, unknown>) =>
          childEntity(topics, view.name, what, platform, extra);
        const options = [...(titles.get(view.name)?.keys() ?? [])];
        if (options.length > 0)
          out[key("shelf")] = entity("shelf", "select", {
            name: `${view.name} shelf`,
            icon: "mdi:bookshelf",
            command_topic: topics.request(SHELF_REQUESTS.play),
            command_template: `{{ {'child': ${JSON.stringify(view.name)}, 'title': value} | tojson }}`,
            options,
          });
        if (storyRadio.forChild(view.name))
          out[key("story_radio")] = entity("story_radio", "button", {
            name: `${view.name} story radio`,
            icon: "mdi:radio-tower",
            command_topic: topics.request(SHELF_REQUESTS.storyRadio),
            payload_press: JSON.stringify({child: view.name}),
          });
      }
      return out;
    },
    info: () => ({}),
    requests: {
      [SHELF_REQUESTS.play]: async (data) => {
        // The child as the plan has it (a 404 names the children), the titles as the shelf is now.
        const name = family.child(child(data)).name;
        const offered = selectOptions((await shelves.view(name)).items);
        // A title the select offers still (published before a title changed: a card made from a
        // stream names it anew) is its item: the shelf checks that the item is on it.
        const said = typeof data.title === "string" ? data.title : undefined;
        const id =
          said === undefined
            ? undefined
            : (offered.get(said) ??
              titles.get(name)?.get(said) ??
              formerly.get(name)?.get(said) ??
              // An automation written before titles took their capitals ("two songs"): the same words.
              [...offered].find(([title]) => title.toLowerCase() === said.toLowerCase())?.[1]);
        if (!id) {
          const known = [...offered.keys()].slice(0, 20).map((t) => `'${t}'`);
          throw badRequest(
            `${typeof data.title === "string" ? `'${data.title.slice(0, 100)}' is not` : "Name a title"} on ${name}'s shelf: ${known.length ? `its titles are ${known.join(", ")}` : "the shelf is empty"}; send {"child": "${name}", "title": "<title>"}`,
            "invalid_payload",
          );
        }
        return shelves.play(name, id, "shelf_select");
      },
      [SHELF_REQUESTS.storyRadio]: (data) => shelves.play(child(data), "story-radio", "shelf_select"),
    },
    watch(changed) {
      const owner = {};
      // The titles are read (the shelves resolved) before the components are asked for.
      // Only a change of what the selects offer is a change of the entities (a child's minutes are not).
      const refresh = async () => {
        const offered = () =>
          JSON.stringify(
            [...titles].map(([name, options]) => [name, [...options.keys()], Boolean(storyRadio.forChild(name))]),
          );
        const before = offered();
        for (const view of family.list().children) {
          const shelf = await shelves.view(view.name).catch(() => undefined);
          const was = titles.get(view.name);
          if (was) remember(view.name, was);
          titles.set(view.name, selectOptions(shelf?.items ?? []));
        }
        for (const name of [...titles.keys()])
          if (!family.names().includes(name)) {
            titles.delete(name);
            formerly.delete(name);
          }
        if (offered() !== before) changed();
      };
      bus.on(owner, "family.changed", () => void refresh());
      bus.on(owner, "stream.changed", () => void refresh());
      // A card made from a stream names the stream anew: the select offers it by that title.
      bus.on(owner, "card.changed", () => void refresh());
      void refresh();
      return () => bus.off(owner);
    },
  };
}

/**
 * A title per item, made unique ("Songs (2)"), at most 255 characters, as Home Assistant's select
 * takes them; story radio has its own button, not a title here.
 */
export function selectOptions(items: ReadonlyArray<{id: string; title: string; kind: string}>): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of items) {
    if (item.kind === "story_radio") continue;
    const base = item.title.slice(0, 240) || item.id;
    let title = base;
    for (let n = 2; out.has(title); n++) title = `${base} (${n})`;
    out.set(title, item.id);
  }
  return out;
}
