import {css} from "lit";

/**
 * A `<progress>` bar in the panel's colour, drawn here: Chromium's own track is dark grey, which
 * reads as a full bar at 0. Used by the child card's minutes, the feed's download and a queue's
 * tracks on their way in.
 */
export const progressStyles = css`
  progress {
    appearance: none;
    display: block;
    width: 100%;
    height: 8px;
    margin-top: 4px;
    border: 0;
    border-radius: 4px;
    overflow: hidden;
    background: color-mix(in srgb, var(--yss-primary) 18%, transparent);
  }
  progress::-webkit-progress-bar {
    background: transparent;
  }
  progress::-webkit-progress-value {
    background: var(--yss-primary);
    border-radius: 4px;
  }
  progress::-moz-progress-bar {
    background: var(--yss-primary);
  }
`;
