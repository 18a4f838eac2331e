import {css} from "lit";

/** A child's card: today's bar, the request box standing out, and times in a column of their own. */
export const childCardStyles = css`
  :host {
    display: block;
  }
  .child {
    display: flex;
    flex-direction: column;
    gap: 10px;
    height: 100%;
  }
  .head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 8px;
  }
  h2 {
    margin: 0;
    overflow-wrap: anywhere;
  }
  h3 {
    margin: 4px 0 0;
  }
  .players li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 4px 12px;
    padding: 2px 0;
    overflow-wrap: anywhere;
  }
  .listening {
    display: flex;
    flex-direction: column;
    flex: 1 1 12em;
    max-width: 18em;
  }
  .listening select {
    width: 100%;
  }
  .today .used {
    justify-content: space-between;
  }
  .today strong {
    font-size: 16px;
    font-weight: 500;
  }
  .today .state {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 8px;
    align-items: center;
    margin-top: 6px;
  }
  .chip.quiet {
    background: color-mix(in srgb, var(--yss-warning) 22%, transparent);
  }
  .request {
    display: flex;
    flex-wrap: wrap;
    gap: 8px 12px;
    align-items: center;
    justify-content: space-between;
    padding: 8px 12px;
    border-radius: 8px;
    border-left: 4px solid var(--yss-warning);
    background: color-mix(in srgb, var(--yss-warning) 14%, transparent);
  }
  .request > div:first-child {
    flex: 1 1 14em;
    min-width: 0;
  }
  .timeline li {
    display: grid;
    grid-template-columns: 5.5em minmax(0, 1fr);
    gap: 8px;
    padding: 2px 0;
  }
  .timeline time {
    font-variant-numeric: tabular-nums;
    color: var(--yss-muted);
  }
  .timeline span {
    overflow-wrap: anywhere;
  }
  .so-far {
    margin: 6px 0 2px;
  }
  .actions {
    margin-top: auto;
    padding-top: 4px;
  }
  .confirm {
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
`;
