/**
 * A family plan's schedule whose night began an hour ago and ends tomorrow, every day of the week,
 * on the service's clock (UTC in the tests): the plan holds the child's players at bedtime now.
 */
export function nightNow(): Record<string, {bedtime: string; wake: string}> {
  const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);
  const night = {bedtime: hhmm(Date.now() - 3_600_000), wake: hhmm(Date.now() - 7_200_000)};
  return Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, night]));
}
