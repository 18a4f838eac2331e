import {readFile} from "node:fs/promises";
import path from "node:path";
import type {YotoSimulator} from "../../src/sim/simulator.js";
import {makeTone} from "./audio.js";
import {tempDir} from "./tmp.js";

export interface Uploaded {
  /** `yoto:#<sha>`, as the card names it. */
  ref: string;
  sha: string;
  bytes: number;
}

/** Real audio (an MP3 tone), put into the simulated Yoto's store as the family's upload would. */
export async function uploadTone(sim: YotoSimulator, name: string, seconds: number, frequency: number) {
  const file = await makeTone(path.join(await tempDir("yss-archive-audio-"), `${name}.mp3`), {
    seconds,
    frequency,
    bitrate: "128k",
  });
  const bytes = await readFile(file);
  const sha = sim.addMedia(bytes);
  return {ref: `yoto:#${sha}`, sha, bytes: bytes.length} satisfies Uploaded;
}

/** A track as Yoto reads it back, with the file size it knows (a run's per-card total comes from it). */
export const audioTrack = (key: string, title: string, audio: Uploaded, duration: number) => ({
  key,
  title,
  trackUrl: audio.ref,
  type: "audio" as const,
  format: "mp3",
  duration,
  fileSize: audio.bytes,
});

export interface PanelCards {
  fox: Uploaded;
  owl: Uploaded;
  hare: Uploaded;
  song: Uploaded;
  /** Each family card's audio bytes: what the progress of the card being archived counts up to. */
  cardBytes: number[];
}

/**
 * "Grandma's stories" as the family made it: two chapters, three tracks; again with the owl
 * renamed and a chapter of `more` tracks added, as the family edits it in the Yoto app.
 */
export function addGrandmasStories(
  sim: YotoSimulator,
  c: Pick<PanelCards, "fox" | "owl" | "hare">,
  owl = "The owl",
  more: Array<ReturnType<typeof audioTrack>> = [],
) {
  sim.addCard({
    cardId: "gran01",
    title: "Grandma's stories",
    content: {
      chapters: [
        {
          key: "01",
          title: "Woodland",
          tracks: [audioTrack("01", "The fox", c.fox, 30), audioTrack("02", owl, c.owl, 25)],
        },
        {key: "02", title: "Meadow", tracks: [audioTrack("01", "The hare", c.hare, 20)]},
        ...(more.length ? [{key: "03", title: "Forest", tracks: more}] : []),
      ],
    },
  });
}

/**
 * The family's own cards for the panel's Archive view: "Grandma's stories" and "Road trip songs"
 * with audio uploaded to Yoto, and a shop card, which the archive leaves out.
 */
export async function seedPanelCards(sim: YotoSimulator): Promise<PanelCards> {
  const [fox, owl, hare, song] = await Promise.all([
    uploadTone(sim, "fox", 30, 330),
    uploadTone(sim, "owl", 25, 440),
    uploadTone(sim, "hare", 20, 550),
    uploadTone(sim, "song", 15, 660),
  ]);
  addGrandmasStories(sim, {fox, owl, hare});
  sim.addCard({
    cardId: "trip01",
    title: "Road trip songs",
    content: {chapters: [{key: "01", title: "Songs", tracks: [audioTrack("01", "Wheels", song, 15)]}]},
  });
  sim.addStoreCard({
    cardId: "shop1",
    title: "A shop story",
    content: {chapters: [{key: "01-INT", title: "Intro", tracks: [audioTrack("01-INT", "Intro", fox, 30)]}]},
  });
  return {fox, owl, hare, song, cardBytes: [fox.bytes + owl.bytes + hare.bytes, song.bytes]};
}
