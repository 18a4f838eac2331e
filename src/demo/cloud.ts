import type {App} from "../app.js";
import type {Logger} from "../core/logger.js";
import {linkThroughBrowser} from "../sim/browser.js";
import type {YotoSimulator} from "../sim/simulator.js";

export const DEMO_CLIENT_ID = "yoto-smart-stream-demo";
export const DEMO_CARD_ID = "demo1";

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
