import {css} from "lit";

/**
 * Home Assistant's toggle for an `<input type="checkbox" role="switch">` inside a `label.switch`:
 * a track with a knob that slides over, in the theme's switch colours (the Rules view's rule
 * switches, a player's Home Assistant switches).
 */
export const switchStyles = css`
  .switch {
    display: inline-flex;
    gap: 6px;
    align-items: center;
  }
  .switch input {
    /* A long label wraps beside the switch instead of squeezing it. */
    flex: none;
    appearance: none;
    position: relative;
    width: 36px;
    height: 14px;
    margin: 8px 4px;
    border-radius: 7px;
    background: color-mix(in srgb, var(--switch-unchecked-track-color, #9e9e9e) 70%, transparent);
    cursor: pointer;
    transition: background 0.15s;
  }
  .switch input::after {
    content: "";
    position: absolute;
    top: -3px;
    left: -2px;
    width: 20px;
    height: 20px;
    border-radius: 50%;
    background: var(--switch-unchecked-button-color, #fafafa);
    box-shadow: 0 1px 3px rgb(0 0 0 / 40%);
    transition: transform 0.15s;
  }
  .switch input:checked {
    background: color-mix(in srgb, var(--switch-checked-track-color, var(--yss-primary)) 50%, transparent);
  }
  .switch input:focus-visible {
    outline: 2px solid var(--yss-primary);
    outline-offset: 4px;
  }
  .switch input:checked::after {
    transform: translateX(20px);
    background: var(--switch-checked-button-color, var(--yss-primary));
  }
`;
