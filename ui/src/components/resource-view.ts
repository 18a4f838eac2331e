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
