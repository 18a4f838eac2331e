/**
 * DLNA's protocolInfo for the library, as MiniDLNA writes it: a named media profile where DLNA has
 * one (audio/mpeg is `MP3`), and for each item whether a renderer may seek in it by bytes. The audio
 * listener's contentFeatures.dlna.org (src/http/dlnaHeaders.ts, a layer this one may not import)
 * says the same of the same audio: test/integration/http/dlnaHeaders.test.ts holds the two to one string.
 */

/**
 * The DLNA flags of every resource here: DLNA 1.5, connection stalling, background and streaming
 * transfer (0x01700000, MiniDLNA's for audio). None of the limited-operation (seek) flags: a file
 * seeks by bytes through OP=01, a live stream does not seek at all.
 */
export const DLNA_FLAGS = "01700000000000000000000000000000";

/**
 * The media types whose DLNA profile the type alone tells. An AAC file's profile (AAC_ISO or
 * AAC_ISO_320) depends on its bitrate, so it and the others are listed with a wildcard.
 */
const PROFILES: Readonly<Record<string, string>> = {"audio/mpeg": "MP3"};

/** Album art: the library's covers are JPEG thumbnails (≤ 160 px). */
const THUMBNAIL = "http-get:*:image/jpeg:DLNA.ORG_PN=JPEG_TN";

/**
 * ConnectionManager's SourceProtocolInfo: one entry per type with the profile named where DLNA has
 * one (only the profile: DLNA leaves the operations and flags to each item's res), a wildcard
 * entry for the others, and the covers' JPEG_TN.
 */
export function sourceProtocolInfo(types: readonly string[]): string {
  const entries = types.map((type) => {
    const profile = Object.hasOwn(PROFILES, type) ? PROFILES[type] : undefined;
    return `http-get:*:${type}:${profile ? `DLNA.ORG_PN=${profile}` : "*"}`;
  });
  return [...entries, THUMBNAIL].join(",");
}

/**
 * An item's res@protocolInfo: the profile, then OP=01 (a file: a renderer may ask for a byte range)
 * or OP=00 (a live stream: radio, a looping stream, which has no end to seek in), CI=0 (served as
 * it is stored), and the flags.
 */
export function resProtocolInfo(mime: string, live: boolean): string {
  const profile = Object.hasOwn(PROFILES, mime) ? `DLNA.ORG_PN=${PROFILES[mime]};` : "";
  return `http-get:*:${mime}:${profile}DLNA.ORG_OP=${live ? "00" : "01"};DLNA.ORG_CI=0;DLNA.ORG_FLAGS=${DLNA_FLAGS}`;
}
