import type {Exit, Story, StorySession} from "../shared/api/stories.js";
import type {RuleServices} from "./types.js";

/**
 * The story a simulated `button` or `story` event is about, as the running engine would hold it:
 * the player is in that story at the scene the press led to, and the story's variables start at
 * the values its file declares (`variables:` of the `story:` document), as a player's session does
 * when its card goes in. An event's own `variables` stand for a story already under way
 * (`{"lullabies_sung": 3}`). Without this, `{{ story.variables.* }}` read nothing offline and the
 * `story` condition never held, so a story's rules could not be previewed at all.
 */
export function simulatedStory(
  stories: Story[],
  event: Record<string, unknown> | undefined,
  playerId: string,
  playerName: string,
): {session: StorySession; services: NonNullable<RuleServices["stories"]>; assumed: string} | undefined {
  if (event?.type !== "button" && event?.type !== "story") return undefined;
  const story = stories.find((s) => s.id === event.story);
  if (!story) return undefined;
  const scene = sceneOf(story, event);
  const given = event.variables;
  const variables = {
    ...structuredClone(story.variables),
    ...(typeof given === "object" && given !== null && !Array.isArray(given) ? given : {}),
  };
  const session: StorySession = {
    playerId,
    player: playerName,
    story: story.id,
    cardId: String(event.card_id ?? ""),
    mode: story.mode,
    scene,
    path: [scene],
    variables,
    enteredAt: 0,
    active: true,
  };
  const mine = (player: string) => player === playerId || player.toLowerCase() === playerName.toLowerCase();
  const refuse = async () => {
    throw new Error("rules simulate does not change stories");
  };
  return {
    session,
    services: {
      session: (player) => (mine(player) ? session : undefined),
      play: refuse,
      goto: refuse,
      // Only this copy changes: a rule's story.set is seen by its later steps, as in the engine.
      set: (player, values) => {
        if (!mine(player)) throw new Error(`'${player}' is not in a story in this simulation`);
        Object.assign(session.variables, values);
        return session;
      },
      has: (id) => stories.some((s) => s.id === id),
    },
    assumed: `'${playerName}' in story '${story.id}' at scene '${scene}' with variables ${JSON.stringify(variables)}`,
  };
}

/**
 * Where the player is when the rules run. A press (`button`) has moved it already: to `to`, or
 * else where the pressed exit of `scene` leads. A `story` event's `scene` is the one entered.
 */
function sceneOf(story: Story, event: Record<string, unknown>): string {
  const known = (id: unknown): id is string => typeof id === "string" && story.scenes.some((s) => s.id === id);
  if (event.type === "button") {
    if (known(event.to)) return event.to;
    const from = story.scenes.find((s) => s.id === event.scene);
    const led = from?.exits[event.button as Exit];
    if (known(led)) return led;
  }
  return known(event.scene) ? event.scene : story.start;
}
