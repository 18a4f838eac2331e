import {css} from "lit";

/**
 * The Family page's forms: a label above each field, fields side by side while they fit and one
 * under another on a phone, and fieldsets drawn as quiet boxes (HA's settings look, not the
 * browser's grooved border).
 */
export const familyFormStyles = css`
  :host {
    display: block;
  }
  fieldset {
    border: 1px solid var(--yss-divider);
    border-radius: 8px;
    margin: 0 0 12px;
    padding: 8px 12px 12px;
    min-width: 0;
  }
  legend {
    padding: 0 4px;
    font-weight: 500;
  }
  /* Number fields in columns of at least 10em: several on a desktop, two on a phone. */
  .fields {
    display: grid;
    gap: 8px 12px;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 10em), 1fr));
  }
  .fields + .fields {
    margin-top: 8px;
  }
  /* Sentences and selects share the row between them, however few they are. */
  .fields.wide {
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 16em), 1fr));
  }
  /* A label that wraps onto two lines keeps its input level with its neighbours'. */
  label.field {
    display: flex;
    flex-direction: column;
    justify-content: space-between;
    gap: 2px;
    min-width: 0;
  }
  label.field > span {
    font-size: 12px;
    color: var(--yss-muted);
  }
  label.field input,
  label.field select {
    width: 100%;
    min-width: 0;
  }
  @media (max-width: 480px) {
    fieldset {
      padding: 6px 8px 10px;
    }
  }
  .hint {
    margin: 0 0 8px;
    max-width: 70ch;
  }
`;
