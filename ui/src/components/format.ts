/** Plain formatting for the views. */

/** Seconds as m:ss or h:mm:ss. */
export function duration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return "–";
  const s = Math.round(seconds);
  const hms = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const pad = (n: number) => String(n).padStart(2, "0");
  return hms[0] ? `${hms[0]}:${pad(hms[1])}:${pad(hms[2])}` : `${hms[1]}:${pad(hms[2])}`;
}

/** Turn a rejected call into the message to show, for `catch` in event handlers. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
