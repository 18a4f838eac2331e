/**
 * The time strings of UPnP AV (AVTransport 1.0 §2.2.14-2.2.17, ContentDirectory's res@duration):
 * `H+:MM:SS[.F+]`, minutes and seconds always two digits. Every time this service writes goes
 * through `upnpTime`: a Seek refusal that echoed what it was sent wrote "0:45:0", which a strict
 * control point cannot read back.
 */

/** `seconds` as `H+:MM:SS`, or with `fraction` digits of the second (`H+:MM:SS.FFF`); unknown or negative is 0. */
export function upnpTime(seconds: number | undefined, fraction: 0 | 1 | 2 | 3 = 0): string {
  const valid = seconds !== undefined && Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
  const unit = 10 ** fraction;
  // Counted in the smallest unit written, so 59.9996 s at 3 digits is 0:01:00.000, never 0:00:60.000.
  const units = fraction === 0 ? Math.floor(valid) : Math.round(valid * unit);
  const whole = Math.floor(units / unit);
  const h = Math.floor(whole / 3600);
  const mm = String(Math.floor((whole % 3600) / 60)).padStart(2, "0");
  const ss = String(whole % 60).padStart(2, "0");
  const f = fraction === 0 ? "" : `.${String(units % unit).padStart(fraction, "0")}`;
  return `${h}:${mm}:${ss}${f}`;
}

/**
 * `H+:MM:SS[.F+]` (or `MM:SS`, and `.F0/F1`) → whole seconds; undefined when it is not a time.
 * Lenient in what it reads (a control point's "0:45:0"), strict in what `upnpTime` writes. Linear, bounded.
 */
export function parseUpnpTime(text: string): number | undefined {
  const m = /^(?:(\d{1,5}):)?([0-5]?\d):([0-5]?\d)(?:\.\d{1,9}|\.\d{1,3}\/\d{1,3})?$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}
