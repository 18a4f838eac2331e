import type Router from "@koa/router";
import type {Cards} from "../../cards/cards.js";
import {AppError, badRequest} from "../../core/errors.js";
import {isIconRef, type Stories, type Story} from "../../stories/index.js";
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
  // A story is its file in the rules folder, which the family writes (or an import wrote): the API
  // does not delete it. The answer says how, and what else goes with it.
  router.delete("/api/stories/:id", (ctx) => {
    const story = stories.get(ctx.params.id as string);
    ctx.set("Allow", "GET, HEAD");
    throw new AppError("method_not_allowed", notDeleted(story, deps.cards.forStory(story.id).length), {status: 405});
  });
  router.post("/api/stories/:id/play", async (ctx) => {
    const body = await readJsonObject(ctx);
    const player = requiredString(body, "player", 'Send {"player": "<id or name>"} (and "scene" to start elsewhere)');
    const scene = optionalString(body, "scene");
    ctx.body = {session: await stories.play(player, ctx.params.id as string, {route: "api"}, {scene})};
  });
  // The icon of the story's cards (null: the story's own); its cards are written with it now.
  router.put("/api/stories/:id/icon", async (ctx) => {
    const body = await readJsonObject(ctx);
    const hint = 'Send {"icon": "yoto:#<mediaId>"} (an icon of GET /api/icons), or {"icon": null} for the story\'s own';
    if (!Object.hasOwn(body, "icon") || (body.icon !== null && !isIconRef(body.icon)))
      throw badRequest(hint, "bad_icon");
    const id = ctx.params.id as string;
    await stories.setCardIcon(id, body.icon === null ? undefined : (body.icon as string));
    ctx.body = storyView(stories.get(id), deps);
  });
  // Only the scenes that failed are spoken again: the rest are cached.
  router.post("/api/stories/:id/narrate", (ctx) => {
    const narration = stories.narrateAgain(ctx.params.id as string);
    ctx.status = 202;
    ctx.body = {narration};
  });
}

/** Why DELETE on a story answers 405, and how the story is taken away. */
function notDeleted(story: Story, cards: number): string {
  const made =
    cards === 0
      ? ""
      : ` ${cards === 1 ? "1 card was" : `${cards} cards were`} made from it: they then play nothing until deleted too (health names them).`;
  return `A story is not deleted over the API: '${story.title}' is its file in the rules folder (${story.file}). Delete that file, or its story: section, and the story goes at the next reload.${made} /api/stories/${story.id} takes GET`;
}

function storyView(story: Story, {cards, stories}: StoryRouteDeps) {
  return {
    ...story,
    cards: cards.forStory(story.id),
    cardStates: stories.cardUpkeep.states(story.id),
    cardIcon: stories.cardUpkeep.cardIcon(story.id),
    sessions: stories.sessions().filter((s) => s.story === story.id),
    narration: stories.narrationOf(story.id),
  };
}
