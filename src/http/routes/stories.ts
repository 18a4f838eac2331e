import type Router from "@koa/router";
import type {Cards} from "../../cards/cards.js";
import type {Stories, Story} from "../../stories/index.js";
import {readJsonObject} from "../body.js";
import {optionalString, requiredString} from "./cards.js";

export interface StoryRouteDeps {
  cards: Cards;
  stories: Stories;
}

/** Stories: each with its cards, the players in it and its narration; play one, narrate again. */
export function storyRoutes(router: Router, deps: StoryRouteDeps): void {
  const {stories} = deps;
  router.get("/api/stories", (ctx) => {
    ctx.body = {stories: stories.list().map((s) => storyView(s, deps))};
  });
  router.get("/api/stories/:id", (ctx) => {
    ctx.body = storyView(stories.get(ctx.params.id as string), deps);
  });
  router.post("/api/stories/:id/play", async (ctx) => {
    const body = await readJsonObject(ctx);
    const player = requiredString(body, "player", 'Send {"player": "<id or name>"} (and "scene" to start elsewhere)');
    ctx.body = {session: await stories.play(player, ctx.params.id as string, {scene: optionalString(body, "scene")})};
  });
  // Only the scenes that failed are spoken again: the rest are cached.
  router.post("/api/stories/:id/narrate", (ctx) => {
    const narration = stories.narrateAgain(ctx.params.id as string);
    ctx.status = 202;
    ctx.body = {narration};
  });
}

function storyView(story: Story, {cards, stories}: StoryRouteDeps) {
  return {
    ...story,
    cards: cards.forStory(story.id),
    sessions: stories.sessions().filter((s) => s.story === story.id),
    narration: stories.narrationOf(story.id),
  };
}
