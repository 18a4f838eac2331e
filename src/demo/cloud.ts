import {readFile} from "node:fs/promises";
import path from "node:path";
import type {App} from "../app/app.js";
import type {Logger} from "../core/logger.js";
import {linkThroughBrowser} from "../sim/browser.js";
import type {YotoSimulator} from "../sim/simulator.js";
import {SAMPLE_TRACKS} from "./sampleAudio.js";

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
  addDemoShopCard(sim);
  await addDemoFamilyCard(sim, app.config.media_dirs[0]);
  // Archived at once, not at night: the family's card is then in the panel's Archive view and in
  // the library's media server ("Cards") from the first minute. A failed run says why in the log.
  if (app.account.status().state === "linked") void app.archive.run("manual").done;
  // A group as families make them in the Yoto app: "Play from a group" and play_group pick from it.
  sim.addGroup("Bedtime", [DEMO_CARD_ID, "dShp1"]);
}

/**
 * A shop card in the demo family's library, as Yoto sells them: readable only through
 * `/card/{id}`, with Yoto's own chapter keys (an intro `01-INT`, a sub-chapter `02-1`, an outro
 * `00`), so the demo shows skipping on a card the family did not make.
 */
function addDemoShopCard(sim: YotoSimulator): void {
  const track = (key: string, title: string, duration: number) => ({
    key,
    title,
    trackUrl: `yoto:#demoShop${key.replace(/[^A-Za-z0-9]/g, "")}AudioSha256Reference0000000`,
    type: "audio" as const,
    format: "aac",
    duration,
  });
  sim.addStoreCard({
    cardId: "dShp1",
    title: "The Owl Who Hummed",
    content: {
      chapters: [
        {key: "01-INT", title: "Introduction", tracks: [track("01-INT", "Introduction", 40)]},
        {key: "02-1", title: "Night Flight", tracks: [track("02-1", "Night Flight", 180)]},
        {key: "00", title: "Goodnight", tracks: [track("00", "Goodnight", 30)]},
      ],
    },
    // Artwork, as shop cards have: the panel and Home Assistant show it while the card plays.
    metadata: {author: "Yoto", category: "stories", cover: {imageL: `${sim.url}/covers/demoOwlCover.png`}},
  });
}

/**
 * A card the demo family made themselves, its audio uploaded to Yoto (the sample tracks, in the
 * simulator's media store): what the Archive view keeps at home. Skipped if the samples are not there.
 */
async function addDemoFamilyCard(sim: YotoSimulator, mediaDir: string | undefined): Promise<void> {
  if (!mediaDir) return;
  const chapters = [];
  for (const [i, sample] of SAMPLE_TRACKS.entries()) {
    const bytes = await readFile(path.join(mediaDir, sample.file)).catch(() => undefined);
    if (!bytes) return;
    const key = String(i + 1).padStart(2, "0");
    const trackUrl = `yoto:#${sim.addMedia(bytes, {title: sample.title})}`;
    // The sample's length, as Yoto's transcode reports it for an uploaded track.
    const duration = Number(/:d=(\d+)/.exec(sample.source)?.[1] ?? 0);
    chapters.push({
      key,
      title: sample.title,
      tracks: [{key, title: sample.title, trackUrl, type: "audio" as const, format: "mp3", duration}],
    });
  }
  sim.addCard({
    cardId: "dFam1",
    title: "Grandma's songs",
    content: {chapters, playbackType: "linear"},
    metadata: {author: "Grandma", cover: {imageL: `${sim.url}/covers/demoGrandmaCover.png`}},
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
