import {createHmac} from "node:crypto";
import type {SimCard} from "./content.js";

/** How long Yoto's signed media links stay valid (about an hour, reference §10.12). */
const SIGNED_FOR_SECONDS = 3600;
const KEY = "simulated-cdn-key";

/**
 * A card as Yoto reads it back: the family's uploaded tracks (`yoto:#<sha>`) as signed, expiring
 * links on secure-media.yotoplay.com, icons (`yoto:#<mediaId>`) on card-content.yotoplay.com,
 * every other URL (our streams) as stored. A client that writes this back as it is breaks the
 * card an hour later — the simulator stores exactly what it is sent, so tests can see that.
 */
export function readBack(card: SimCard, now = Date.now()): SimCard {
  const expires = Math.floor(now / 1000) + SIGNED_FOR_SECONDS;
  return {
    ...card,
    content: {
      ...card.content,
      chapters: card.content.chapters.map((chapter) => ({
        ...chapter,
        ...icon(chapter.display),
        tracks: chapter.tracks.map((track) => ({
          ...track,
          ...icon(track.display),
          trackUrl: signedTrack(track.trackUrl, expires),
        })),
      })),
    },
  };
}

function signedTrack(trackUrl: string, expires: number): string {
  const sha = /^yoto:#([A-Za-z0-9_-]+)$/.exec(trackUrl)?.[1];
  if (!sha) return trackUrl;
  const resource = `https://secure-media.yotoplay.com/yoto/${sha}`;
  const policy = Buffer.from(
    JSON.stringify({Statement: [{Resource: resource, Condition: {DateLessThan: {"AWS:EpochTime": expires}}}]}),
  ).toString("base64url");
  const signature = createHmac("sha256", KEY).update(`${resource}${expires}`).digest("base64url");
  return `${resource}?Expires=${expires}&Policy=${policy}&Signature=${signature}&Key-Pair-Id=KSIMULATOR#sha256=${sha}`;
}

function icon(display: {icon16x16?: string | null} | undefined): {display?: {icon16x16?: string | null}} {
  const mediaId = /^yoto:#([A-Za-z0-9_-]+)$/.exec(display?.icon16x16 ?? "")?.[1];
  if (!display || !mediaId) return {};
  return {display: {...display, icon16x16: `https://card-content.yotoplay.com/yoto/${mediaId}`}};
}

/** Whether a track URL is one of those signed links and has expired (the player cannot fetch it). */
export function expiredSignedLink(trackUrl: string, now = Date.now()): boolean {
  if (!trackUrl.startsWith("https://secure-media.yotoplay.com/")) return false;
  const expires = Number(/[?&]Expires=(\d{1,12})(&|#|$)/.exec(trackUrl)?.[1]);
  return !Number.isFinite(expires) || expires * 1000 < now;
}
