/**
 * What to do about a failing podcast feed, read from its error (the words `fetchFeed`, the feed
 * parser and the episode downloads use). A family sees it next to the error on the Health page, so
 * it says what to check, not what went wrong again.
 */
export function feedHint(error: string): string {
  if (/disk holding .* is full|no space left/i.test(error))
    return "Free some disk space: the feed is tried again at its next refresh.";
  if (/could not be added/.test(error))
    return "The other episodes play: those are tried again at the next refresh. If they keep failing, check them in the podcast's own app.";
  // The feed was read: its episodes are all shorter than the stream takes (notTakenError). Its
  // address is right, and the error says so; checking it would send a family the wrong way.
  if (/shorter than skip_shorter_than/.test(error))
    return "Lower skip_shorter_than in the stream's feed options in the Streams tab, or leave it out: every episode of this feed is shorter.";
  if (/fetch_allow/.test(error))
    return "The feed is on the home network, which is not fetched from unless allowed: add the fetch_allow entry the error names if the feed is yours.";
  const status = /answered (\d{3})\b/.exec(error)?.[1];
  if (status === "404" || status === "410")
    return "Check the feed's address in the Streams tab: the podcast may have moved or ended.";
  if (status === "401" || status === "403")
    return "Check the feed's address in the Streams tab: a private feed's address may have a new token.";
  if (status === "429")
    return "The podcast's server asks to be read less often: the feed is tried again at its next refresh (a longer refresh_every asks less).";
  if (status?.startsWith("5")) return "The podcast's server has a problem: the feed is tried again at every refresh.";
  if (/could not be read/.test(error))
    return "Check the feed's address in the Streams tab, and that the add-on can reach the internet.";
  return "Check the feed's address in the Streams tab.";
}

/** How long a feed has failed, for a line a family reads: "5 minutes", "3 hours". */
export function lasting(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return "less than a minute";
  const [count, unit] =
    minutes < 60
      ? [minutes, "minute"]
      : minutes < 48 * 60
        ? [Math.floor(minutes / 60), "hour"]
        : [Math.floor(minutes / 1440), "day"];
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}
