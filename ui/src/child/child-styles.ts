import {css} from "lit";

/** Buttons as pictures: no browser chrome, a tap at once (no double-tap zoom wait). */
const buttons = css`
  * {
    box-sizing: border-box;
  }
  button {
    font: inherit;
    color: inherit;
    border: 0;
    padding: 0;
    background: none;
    cursor: pointer;
    touch-action: manipulation;
  }
  /* A round button of a finger's size, a picture in its middle. */
  .round {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    width: 96px;
    height: 96px;
    border-radius: 50%;
    background: #3d5a80;
  }
`;

/**
 * The child's page: big pictures on a calm night-blue, nothing to read. Every tap target is at
 * least 96 px (a four-year-old's finger, a tablet at arm's length); nothing scrolls sideways.
 */
export const childStyles = [
  buttons,
  css`
  :host {
    display: block;
    min-height: 100vh;
    box-sizing: border-box;
    padding: 16px 16px 200px;
  }
  /* Asleep or off: one screen, no bar at the bottom to leave room for. */
  :host([still]) {
    padding-bottom: 16px;
    user-select: none;
    -webkit-user-select: none;
    -webkit-touch-callout: none;
  }
  button:focus-visible {
    outline: 4px solid #f2cc8f;
    outline-offset: 4px;
  }
  .shelf {
    list-style: none;
    margin: 0 auto;
    padding: 0;
    max-width: 1400px;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(148px, 1fr));
    gap: 16px;
  }
  /* A tablet: bigger covers, further apart. */
  @media (min-width: 700px) {
    .shelf {
      grid-template-columns: repeat(auto-fill, minmax(190px, 1fr));
      gap: 24px;
    }
  }
  .tile {
    display: block;
    width: 100%;
    aspect-ratio: 1;
    min-height: 96px;
    border-radius: 20px;
    overflow: hidden;
    background: #1d2d50;
    box-shadow: 0 4px 12px rgb(0 0 0 / 35%);
    transition: transform 120ms ease;
  }
  .tile:active {
    transform: scale(0.96);
  }
  .tile img {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: cover;
    pointer-events: none;
  }
  .tile[aria-pressed="true"] {
    outline: 6px solid #81b29a;
    outline-offset: -6px;
  }
  .tile.paused {
    outline: 6px dashed #81b29a;
    outline-offset: -6px;
  }
  .tile.paused img {
    opacity: 0.7;
  }
  .tile.asked {
    animation: pulse 900ms ease-in-out infinite;
  }
  .tile[disabled] {
    opacity: 0.45;
    cursor: default;
  }
  @keyframes pulse {
    50% {
      transform: scale(0.94);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .tile.asked {
      animation: none;
      outline: 6px dashed #f2cc8f;
    }
  }
  .picture {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 24px;
    min-height: calc(100vh - 32px);
    text-align: center;
  }
  .picture svg {
    max-width: 100%;
  }
  .big {
    font-size: clamp(40px, 10vw, 88px);
    font-weight: 700;
    letter-spacing: 0.02em;
  }
  .round {
    box-shadow: 0 4px 12px rgb(0 0 0 / 35%);
  }
  .round.huge {
    width: 160px;
    height: 160px;
    background: #e07a5f;
  }
  .round[disabled] {
    opacity: 0.5;
    cursor: default;
  }
  .names {
    list-style: none;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 24px;
    justify-content: center;
  }
  .face {
    width: 160px;
    height: 160px;
    border-radius: 50%;
    font-size: 72px;
    font-weight: 700;
  }
`,
];

/** The bar at the bottom: what plays, play/pause, next, and the volume as a picture. */
export const nowStyles = [
  buttons,
  css`
  :host {
    position: fixed;
    left: 0;
    right: 0;
    bottom: 0;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: 12px 20px;
    padding: 12px 16px calc(12px + env(safe-area-inset-bottom));
    background: rgb(11 19 43 / 92%);
    box-shadow: 0 -4px 16px rgb(0 0 0 / 40%);
  }
  .group {
    display: flex;
    align-items: center;
    gap: 12px;
  }
  .cover {
    width: 96px;
    height: 96px;
    border-radius: 16px;
    object-fit: cover;
    background: #1d2d50;
  }

  .round.main {
    background: #81b29a;
    color: #14213d;
  }
  .round[disabled] {
    opacity: 0.4;
    cursor: default;
  }
  .meter {
    display: flex;
    align-items: flex-end;
    gap: 5px;
    height: 56px;
  }
  .meter span {
    width: 12px;
    border-radius: 4px;
    background: #3d5a80;
  }
  .meter span.on {
    background: #f2cc8f;
  }
`,
];
