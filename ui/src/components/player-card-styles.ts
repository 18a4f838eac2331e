import {css} from "lit";

/** The player card's own look: artwork beside the title, a thin progress bar, round transport buttons. */
export const playerCardStyles = css`
  :host {
    display: block;
  }
  .player {
    display: flex;
    flex-direction: column;
    gap: 10px;
    height: 100%;
  }
  .top {
    display: flex;
    gap: 12px;
    min-width: 0;
  }
  .art {
    flex: none;
    width: 72px;
    height: 72px;
    border-radius: 8px;
    overflow: hidden;
    display: grid;
    place-items: center;
    background: var(--secondary-background-color, color-mix(in srgb, var(--yss-text) 6%, transparent));
    color: var(--yss-muted);
  }
  .art img {
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
  .what {
    flex: 1;
    min-width: 0;
  }
  .head {
    display: flex;
    justify-content: space-between;
    gap: 8px;
    align-items: flex-start;
  }
  h2 {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .title {
    font-weight: 500;
    overflow-wrap: anywhere;
  }
  .ellipsis {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .chip {
    flex: none;
    display: inline-flex;
    align-items: center;
    gap: 4px;
  }
  .dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--yss-error);
  }
  .chip.good .dot {
    background: var(--yss-success);
  }
  .progress {
    height: 4px;
    border-radius: 2px;
    background: color-mix(in srgb, var(--yss-primary) 20%, transparent);
    overflow: hidden;
  }
  .fill {
    height: 100%;
    background: var(--yss-primary);
  }
  .progress-text {
    display: flex;
    justify-content: space-between;
    margin-top: -6px;
    font-variant-numeric: tabular-nums;
  }
  .transport {
    display: flex;
    justify-content: center;
    align-items: center;
    gap: 12px;
  }
  .transport button {
    width: 44px;
    height: 44px;
    padding: 0;
    border: none;
    border-radius: 50%;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    color: var(--yss-text);
  }
  .transport button:hover {
    background: color-mix(in srgb, var(--yss-text) 8%, transparent);
  }
  .transport button.play,
  .transport button.play:hover {
    width: 52px;
    height: 52px;
    background: var(--yss-primary);
    color: var(--yss-on-primary);
  }
  .readings {
    display: flex;
    flex-wrap: wrap;
    gap: 6px 14px;
    color: var(--yss-muted);
  }
  .readings li {
    display: inline-flex;
    align-items: center;
    gap: 4px;
  }
  .swatch {
    display: inline-block;
    width: 18px;
    height: 18px;
    border-radius: 50%;
    border: 1px solid var(--yss-divider);
  }
  .picker select {
    flex: 1 1 160px;
    min-width: 0;
  }
  button svg {
    vertical-align: middle;
  }
  .hands {
    padding-top: 8px;
    border-top: 1px dashed var(--yss-divider);
  }
  dl {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 2px 12px;
    margin: 8px 0 0;
  }
  dd {
    margin: 0;
  }
  summary {
    cursor: pointer;
    min-height: 32px;
    line-height: 32px;
  }
`;
