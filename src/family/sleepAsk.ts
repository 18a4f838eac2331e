import {badRequest} from "../core/errors.js";
import {shelfRef} from "./shelfField.js";

const MAX_REASON = 100;
const CONTROL = /\p{Cc}/u;

/** What a start of a sleep sound says: why (the house's words), and which of the plan's sounds. */
export interface SleepAsk {
  reason: string;
  sound?: string;
}

/**
 * `POST /api/children/<name>/sleep`'s body (and the bridge's `family/sleep` request): `reason` in
 * the house's words ("Mia is up", "crying", "too warm"), and optionally `sound`, one of the plan's.
 */
export function readSleepAsk(body: Record<string, unknown>, named: "child" | "path" = "path"): SleepAsk {
  // Over HTTP the child is the path's: a "child" in the body would name another, and is refused.
  for (const key of Object.keys(body))
    if (key !== "reason" && key !== "sound" && !(key === "child" && named === "child"))
      throw badRequest(
        `'${key}' is not a field of a sleep sound's start: send "reason" and, if you like, "sound"`,
        "bad_sleep",
      );
  const reason = body.reason ?? "asked";
  if (typeof reason !== "string" || reason.trim() === "" || reason.length > MAX_REASON || CONTROL.test(reason))
    throw badRequest(
      `'reason' must be a few words saying why, at most ${MAX_REASON} characters (got ${JSON.stringify(reason)})`,
      "bad_sleep",
    );
  if (body.sound !== undefined && (typeof body.sound !== "string" || body.sound.trim() === ""))
    throw badRequest(
      `'sound' must be one of the sleep sounds in the child's plan, such as "stream:rain" (got ${JSON.stringify(body.sound)})`,
      "bad_sleep",
    );
  return {reason: reason.trim(), ...(typeof body.sound === "string" ? {sound: body.sound.trim()} : {})};
}

/** The plan's sound that `asked` names (its reference, any case and spacing), or undefined. */
export function soundOf(sounds: readonly string[], asked: string): string | undefined {
  const key = (ref: string) => {
    const {prefix, name} = shelfRef(ref);
    return `${prefix}:${name.toLowerCase()}`;
  };
  const wanted = key(asked);
  return sounds.find((s) => key(s) === wanted);
}
