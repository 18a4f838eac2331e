import {css} from "lit";

/**
 * A credential made on the panel (a tablet's link, an assistant's token): the form that names it,
 * the box that shows it once, and the confirm before a revoke.
 */
export const madeCredentialStyles = css`
  .confirm {
    display: flex;
    flex-direction: column;
    gap: 6px;
    flex-basis: 100%;
  }
  form {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: 8px;
    margin-top: 8px;
  }
  label.field {
    display: flex;
    flex-direction: column;
    flex: 1 1 12em;
    min-width: 0;
  }
  label.field input {
    width: 100%;
  }
  .made {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 8px;
    margin-top: 10px;
    padding: 10px;
    border-radius: 8px;
    border: 1px solid var(--yss-divider);
  }
`;

/** A child's tablets on the Family page, and the family's parent PIN: narrow enough for a phone. */
export const tabletLinksStyles = css`
  :host {
    display: block;
    min-width: 0;
  }
  h3 {
    margin: 4px 0 6px;
  }
  p {
    margin: 4px 0;
  }
  .links li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 4px 12px;
    padding: 4px 0;
    border-bottom: 1px solid var(--yss-divider);
  }
  .links li:last-child {
    border-bottom: none;
  }
  .about {
    display: flex;
    flex-direction: column;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  /* The code stays black on white whatever the theme: a camera reads it best so. */
  .made img {
    width: 200px;
    max-width: 100%;
    height: auto;
    background: #fff;
    border-radius: 4px;
  }
  .made yss-copy-text {
    width: 100%;
  }
  input[type="password"] {
    min-height: 36px;
    padding: 6px 10px;
    border-radius: 8px;
    border: 1px solid var(--yss-divider);
    background: var(--yss-bg);
    max-width: 100%;
  }
`;
