import {html, type TemplateResult} from "lit";
import type {LiveResource} from "../data/resource.js";
import "./yss-alert.js";

/**
 * The three faces of a live resource: loading the first time, failed with nothing to show (with a
 * retry), or the data, with the last failure above it when a reload went wrong.
 */
export function renderResource<T>(resource: LiveResource<T>, ready: (value: T) => TemplateResult): TemplateResult {
  const retry = html`<button @click=${() => resource.reload()}>Try again</button>`;
  if (resource.value === undefined) {
    if (resource.error) return html`<yss-alert .message=${resource.error.message}>${retry}</yss-alert>`;
    return html`<p class="muted" aria-busy="true">Loading…</p>`;
  }
  return html`${resource.error ? html`<yss-alert .message=${resource.error.message}>${retry}</yss-alert>` : ""}
  ${ready(resource.value)}`;
}

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
