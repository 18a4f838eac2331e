import {afterEach, describe, expect, it} from "vitest";
import type {ChildShelf, ShelfChoice} from "../../../src/shared/api/shelf.js";
import {eventually} from "../../helpers/browser.js";
import {type RunningDemo, startDemo} from "../../helpers/demo.js";

let demo: RunningDemo | undefined;
afterEach(async () => {
  await demo?.stop();
  demo = undefined;
});

describe("npm run demo's shelf", () => {
  it("gives everything a parent can put on a shelf a picture of its own, served from the panel", async () => {
    demo = await startDemo();
    const api = (pathname: string, init?: RequestInit) => fetch(`${demo!.panelUrl}${pathname}`, init);
    const {choices} = (await (await api("api/shelf/choices?limit=200")).json()) as {choices: ShelfChoice[]};
    const players = (await (await api("api/players")).json()) as {players: Array<{name: string}>};
    const shelf = [...choices.map((c) => c.ref), "story-radio"];
    const planned = await api("api/children/Mia", {
      method: "PUT",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({players: [players.players[0]?.name], shelf}),
    });
    expect(planned.status, await planned.clone().text()).toBe(200);

    // The demo's shop card has art from Yoto (the simulator's, at an http address): shown once it is made.
    let view: ChildShelf | undefined;
    await eventually(async () => {
      view = (await (await api("api/children/Mia/shelf")).json()) as ChildShelf;
      const art = view.items.some((i) => i.title === "The Owl Who Hummed" && i.picture === "art");
      // Story radio is on the shelf once its programme is written from the plan.
      return art && view.items.some((i) => i.id === "story-radio");
    }, "the demo shop card's art, and story radio");
    const items = view?.items ?? [];
    expect(items.length).toBeGreaterThanOrEqual(choices.length);
    // No two alike, and each a picture the panel serves.
    expect(new Set(items.map((i) => i.cover)).size).toBe(items.length);
    for (const item of items) {
      expect(item.cover, item.title).toMatch(
        /^api\/shelf\/(pictures\/[0-9a-f]{64}\.(jpg|png)|covers\/[a-z-]+-\d{1,3}\.svg)$/,
      );
      const res = await api(item.cover);
      expect(res.status, item.cover).toBe(200);
      expect(res.headers.get("content-type"), item.cover).toMatch(/^image\/(png|jpeg|svg\+xml)/);
    }
    // Everything else is drawn, a word of its title where one names a drawing: the dragon's story is
    // the dinosaur, "Slow Waves" waves, "Twinkle Tone" a star; story radio its tower.
    const drawn = new Map(
      items.map((i) => [
        i.kind === "story_radio" ? "Story radio" : i.title,
        i.cover.replace(/^api\/shelf\/covers\/([a-z-]+)-\d+\.svg$/, "$1"),
      ]),
    );
    expect(drawn.get("The Sleepy Dragon")).toBe("dinosaur");
    expect(drawn.get("Slow Waves")).toBe("waves");
    expect(drawn.get("Twinkle Tone")).toBe("star");
    expect(drawn.get("Story radio")).toBe("radio-tower");
    expect(items.filter((i) => i.picture === "drawing").length).toBe(items.length - 1);
  }, 120_000);
});
