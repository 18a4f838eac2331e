import {css} from "lit";

/** The History view's look: today's tiles, the legend under the chart, the sessions list. */
export const historyStyles = css`
      .card + .card {
        margin-top: 12px;
      }
      header {
        justify-content: space-between;
        margin-bottom: 8px;
      }
      [role="group"] button[aria-pressed="true"] {
        background: color-mix(in srgb, var(--yss-primary) 18%, transparent);
        border-color: var(--yss-primary);
        color: var(--yss-primary);
        font-weight: 500;
      }
      .today {
        display: grid;
        gap: 8px;
        grid-template-columns: repeat(auto-fill, minmax(min(100%, 150px), 1fr));
        margin-bottom: 16px;
      }
      .today li {
        border: 1px solid var(--yss-divider);
        border-radius: 8px;
        padding: 8px 12px;
      }
      .today strong {
        display: block;
        font-size: 20px;
        font-weight: 400;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 16px;
        margin-top: 12px;
      }
      .swatch {
        display: inline-block;
        width: 12px;
        height: 12px;
        border-radius: 3px;
        margin-right: 6px;
        vertical-align: -1px;
      }
      /* The chart's budget line, as a short dashed stroke. */
      .swatch.budget {
        width: 14px;
        height: 0;
        border-radius: 0;
        border-top: 2px dashed var(--yss-text);
        vertical-align: 4px;
      }
      .filters select {
        min-width: 0;
        max-width: 100%;
      }
      .sessions li {
        display: flex;
        flex-wrap: wrap;
        gap: 2px 12px;
        justify-content: space-between;
        padding: 8px 0;
        border-bottom: 1px solid var(--yss-divider);
      }
      .sessions li:last-child {
        border-bottom: none;
      }
      .sessions .what {
        flex: 1 1 220px;
        min-width: 0;
        overflow-wrap: anywhere;
      }
      .sessions .when {
        margin-left: auto;
        text-align: right;
        white-space: nowrap;
      }
      .empty {
        max-width: 60ch;
      }
    `;
