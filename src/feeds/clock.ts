// Apart from episodes.ts (and feedsmith, which it loads) so that a feed's error can say a length
// without loading the parser.

/** 90 → "1m 30s", 3723 → "1h 2m 3s". */
export function clock(total: number): string {
  const s = Math.round(total);
  const parts = [
    s >= 3600 ? `${Math.floor(s / 3600)}h` : "",
    s % 3600 >= 60 ? `${Math.floor((s % 3600) / 60)}m` : "",
    s % 60 || s === 0 ? `${s % 60}s` : "",
  ];
  return parts.filter(Boolean).join(" ");
}
