/** Browsers (the panel, web players) may fetch audio cross-origin; nothing on the audio listener uses cookies. */
export const AUDIO_CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "Accept-Ranges, Content-Length, Content-Range, ETag",
} as const;
