/** Home Assistant theme variables the panel uses. */
const THEME_VARIABLES = [
  "--primary-background-color",
  "--secondary-background-color",
  "--card-background-color",
  "--primary-text-color",
  "--secondary-text-color",
  "--text-primary-color",
  "--primary-color",
  "--accent-color",
  "--divider-color",
  "--error-color",
  "--success-color",
  "--warning-color",
  "--ha-card-border-radius",
  "--ha-card-background",
  "--ha-card-border-color",
  "--ha-card-border-width",
  "--ha-card-box-shadow",
  "--ha-font-family-body",
];

/**
 * Ingress shows the panel in an iframe, where Home Assistant's theme variables do not reach. The
 * frame is same-origin, so copy them from the parent document and follow its changes (theme or
 * dark mode switched while the panel is open). Outside HA this does nothing and index.html's
 * light/dark defaults apply. Returns the function that stops following.
 */
export function followHomeAssistantTheme(target: HTMLElement = document.documentElement): () => void {
  let parentRoot: HTMLElement;
  try {
    if (window.parent === window) return () => {};
    parentRoot = window.parent.document.documentElement;
  } catch {
    return () => {}; // Another origin: not inside Home Assistant.
  }
  const copy = () => {
    const style = window.parent.getComputedStyle(parentRoot);
    for (const name of THEME_VARIABLES) {
      const value = style.getPropertyValue(name).trim();
      if (value) target.style.setProperty(name, value);
      else target.style.removeProperty(name);
    }
  };
  copy();
  const observer = new MutationObserver(copy);
  observer.observe(parentRoot, {attributes: true, attributeFilter: ["style", "class"]});
  return () => observer.disconnect();
}
