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

/** The first number in a colon-separated temperature ("24:18", "0:0:0"); 0 and "notSupported" mean none. */
export function toTemperature(value: unknown): number | undefined {
  const first = toText(value)?.split(":")[0];
  const n = toNumber(first);
  return n === undefined || n === 0 ? undefined : n;
}

/** Status payloads arrive wrapped as `{status: {...}}` or flat; accept both. */
export function unwrapStatus(payload: unknown): Record<string, unknown> {
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return {};
  const inner = (payload as {status?: unknown}).status;
  return typeof inner === "object" && inner !== null && !Array.isArray(inner)
    ? (inner as Record<string, unknown>)
    : (payload as Record<string, unknown>);
}
