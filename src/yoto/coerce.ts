/**
 * Lenient readers for cloud payloads: real devices send booleans as true/1/"1", numbers as strings,
 * and "none" or "notSupported" where a value is missing (reference §4). Never throw: unknown → undefined.
 */
export function toBool(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === 1 || value === "1" || value === "true") return true;
  if (value === 0 || value === "0" || value === "false") return false;
  return undefined;
}

export function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

export function toText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/** "none" and "" mean nothing: a card id, for instance. */
export function toId(value: unknown): string | null | undefined {
  const text = toText(value);
  if (text === undefined) return undefined;
  return text === "none" || text === "" ? null : text;
}

/**
 * One temperature reading in °C: a number or numeric text. `null` says "no reading": the player
 * sent "notSupported", null, "" or 0. A player without the sensor reports 0 (a Mini's
 * `batteryTemp`, the first part of `temp` on every real sample), and 0 °C is no plausible reading
 * for a player indoors, so 0 is "unsupported", never a temperature (reference §4.3, §10.1).
 * `undefined` means the value could not be read at all (junk): keep what was known.
 */
export function toCelsius(value: unknown): number | null | undefined {
  if (value === null || value === "" || value === "notSupported") return null;
  const n = toNumber(value);
  if (n === undefined) return undefined;
  return n === 0 ? null : n;
}

/**
 * The room temperature in `temp`: "0:24" → 24. Real v3 players send the first part as 0 every
 * time and the battery's own reading in `batteryTemp`, so the second part is the one that
 * counts; a Mini's "0:0:0" has none. A lone number is read as the reading itself.
 */
export function roomTemperature(value: unknown): number | null | undefined {
  const text = toText(value);
  if (text === undefined || !text.includes(":")) return toCelsius(value);
  return toCelsius(text.split(":", 2)[1]);
}

/** Status payloads arrive wrapped as `{status: {...}}` or flat; accept both. */
export function unwrapStatus(payload: unknown): Record<string, unknown> {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return {};
  const inner = (payload as {status?: unknown}).status;
  return typeof inner === "object" && inner !== null && !Array.isArray(inner)
    ? (inner as Record<string, unknown>)
    : (payload as Record<string, unknown>);
}

/** Strict to spot bad bytes, lenient to read what is there anyway (§10.13). */
const STRICT_UTF8 = new TextDecoder("utf-8", {fatal: true});
const LENIENT_UTF8 = new TextDecoder("utf-8");

/** A payload's text and whether its bytes were valid UTF-8; bad sequences become U+FFFD. */
export function decodeUtf8(raw: Uint8Array): {text: string; valid: boolean} {
  try {
    return {text: STRICT_UTF8.decode(raw), valid: true};
  } catch {
    return {text: LENIENT_UTF8.decode(raw), valid: false};
  }
}
