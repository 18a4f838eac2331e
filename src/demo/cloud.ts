import type {App} from "../app.js";
import type {Logger} from "../core/logger.js";
import {linkThroughBrowser} from "../sim/browser.js";
import type {YotoSimulator} from "../sim/simulator.js";

export const DEMO_CLIENT_ID = "yoto-smart-stream-demo";
export const DEMO_CARD_ID = "demo1";
export const DEMO_STORY = "sleepy_dragon";

/**
 * Link the demo's account to the simulated cloud the way a person would (open the authorize URL,
 * paste back where the browser landed), and put a card on the account that streams `streamUrl`.
 */
export async function linkDemoCloud(app: App, sim: YotoSimulator, streamUrl: string | undefined, log: Logger) {
  if (app.account.status().state !== "linked") {
    await linkThroughBrowser(app.account);
    log.info("Linked the demo account to the Yoto cloud simulator");
  }
  if (streamUrl)
    sim.addCard({
      cardId: DEMO_CARD_ID,
      title: "Demo stream",
      content: {
        chapters: [
          {
            key: "01",
            title: "Demo stream",
            tracks: [{key: "01", title: "Demo stream", trackUrl: streamUrl, type: "stream", format: "mp3"}],
          },
        ],
      },
    });
}

/**
 * The demo story's card, made in the simulator (whose cards live only as long as it runs): cards
 * remembered from an earlier run that this simulator does not hold are forgotten first.
 */
export async function ensureDemoStoryCard(app: App, sim: YotoSimulator): Promise<string | undefined> {
  if (!app.stories.has(DEMO_STORY)) return undefined;
  for (const card of app.cards.forStory(DEMO_STORY)) if (!sim.card(card.cardId)) await app.cards.forget(card.cardId);
  const existing = app.cards.forStory(DEMO_STORY)[0];
  return existing?.cardId ?? (await app.cards.fromStory(DEMO_STORY)).cardId;
}
