import {css} from "lit";

/**
 * Shared look. Colours come from Home Assistant's theme variables (copied into the panel's frame by
 * `theme.ts`), with light defaults here and dark ones in index.html for use outside HA.
 */
export const panelStyles = css`
  :host {
    --yss-bg: var(--primary-background-color, #fafafa);
    --yss-card: var(--card-background-color, #fff);
    --yss-text: var(--primary-text-color, #212121);
    --yss-muted: var(--secondary-text-color, #5f6368);
    --yss-primary: var(--primary-color, #03a9f4);
    --yss-on-primary: var(--text-primary-color, #fff);
    --yss-divider: var(--divider-color, rgba(0, 0, 0, 0.12));
    --yss-error: var(--error-color, #db4437);
    --yss-success: var(--success-color, #43a047);
    --yss-warning: var(--warning-color, #ffa600);
    --yss-radius: var(--ha-card-border-radius, 12px);
    --yss-card-border: var(--ha-card-border-width, 1px) solid var(--ha-card-border-color, var(--yss-divider));
    --yss-card-shadow: var(--ha-card-box-shadow, 0 1px 2px rgba(0, 0, 0, 0.06), 0 1px 3px rgba(0, 0, 0, 0.08));
    --yss-focus: 0 0 0 2px var(--yss-card), 0 0 0 4px var(--yss-primary);
    color: var(--yss-text);
    font-family: var(--ha-font-family-body, var(--mdc-typography-font-family, Roboto, system-ui, sans-serif));
    font-size: 14px;
    line-height: 1.45;
  }
  * {
    box-sizing: border-box;
  }
  h2 {
    font-size: 18px;
    font-weight: 500;
    margin: 0 0 8px;
  }
  h3 {
    font-size: 15px;
    font-weight: 500;
    margin: 12px 0 6px;
  }
  /* Home Assistant's ha-card: its background, radius, border and elevation, each overridable by a theme. */
  .card {
    background: var(--ha-card-background, var(--yss-card));
    border-radius: var(--yss-radius);
    border: var(--yss-card-border);
    box-shadow: var(--yss-card-shadow);
    padding: 16px;
    min-width: 0;
  }
  .grid {
    display: grid;
    gap: 12px;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 320px), 1fr));
  }
  /* A main column and a side column, stacked on a phone. */
  .split {
    display: grid;
    gap: 12px;
    grid-template-columns: var(--yss-split, 1fr minmax(260px, 380px));
    align-items: start;
  }
  @media (max-width: 720px) {
    .split {
      grid-template-columns: 1fr;
    }
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    align-items: center;
  }
  .muted {
    color: var(--yss-muted);
  }
  /* Label–value facts (account, broker login). */
  dl {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 4px 12px;
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .small {
    font-size: 12px;
  }
  button,
  select,
  input,
  textarea {
    font: inherit;
    color: inherit;
  }
  /* Buttons, and file inputs dressed as buttons (a label.button around a hidden input). */
  button,
  label.button {
    min-height: 36px;
    padding: 6px 14px;
    border-radius: 18px;
    border: 1px solid var(--yss-divider);
    background: transparent;
    cursor: pointer;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
    font-weight: 500;
    color: var(--yss-primary);
    max-width: 100%;
  }
  button:hover:not(:disabled, [aria-disabled="true"]),
  label.button:hover {
    background: color-mix(in srgb, var(--yss-primary) 8%, transparent);
  }
  label.button {
    position: relative;
  }
  label.button:has(input:focus-visible) {
    box-shadow: var(--yss-focus);
  }
  label.button:has(input:disabled) {
    opacity: 0.5;
    cursor: default;
  }
  label.button input[type="file"] {
    position: absolute;
    width: 1px;
    height: 1px;
    opacity: 0;
    overflow: hidden;
  }
  button.primary:hover:not(:disabled) {
    background: color-mix(in srgb, var(--yss-primary) 88%, black);
  }
  button.primary {
    background: var(--yss-primary);
    border-color: var(--yss-primary);
    color: var(--yss-on-primary);
  }
  button.icon {
    min-width: 40px;
    padding: 6px;
    display: inline-flex;
    align-items: center;
    justify-content: center;
  }
  /* aria-disabled: a button that cannot act now but keeps the focus (a disabled one drops it). */
  button:disabled,
  button[aria-disabled="true"] {
    opacity: 0.5;
    cursor: default;
  }
  button.danger {
    color: var(--yss-error);
  }
  select,
  input[type="text"],
  input[type="search"],
  input[type="url"],
  input[type="number"],
  input[type="time"],
  input[type="date"],
  textarea {
    min-height: 36px;
    padding: 6px 10px;
    border-radius: 8px;
    border: 1px solid var(--yss-divider);
    background: var(--yss-bg);
    max-width: 100%;
  }
  /* The field a refusal names, marked where it is typed (the message itself says what is wrong). */
  [aria-invalid="true"] {
    border-color: var(--yss-error);
    box-shadow: 0 0 0 1px var(--yss-error);
  }
  input[type="range"] {
    accent-color: var(--yss-primary);
  }
  :focus-visible {
    outline: none;
    box-shadow: var(--yss-focus);
  }
  ul.plain,
  ol.plain {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .chip {
    display: inline-block;
    padding: 1px 8px;
    border-radius: 10px;
    font-size: 12px;
    background: color-mix(in srgb, var(--yss-primary) 15%, transparent);
  }
  .chip.bad {
    background: color-mix(in srgb, var(--yss-error) 18%, transparent);
  }
  .chip.good {
    background: color-mix(in srgb, var(--yss-success) 18%, transparent);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
