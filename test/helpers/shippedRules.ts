/**
 * The files the package ships in `rules/`, by name. DOCS tells users to put their own rule files in
 * that folder, so tests check that these are there and load, never how many files or rules it holds.
 */
export const SHIPPED_RULE_FILES = [
  "bedtime.yaml",
  "cards.yaml",
  "home-assistant.yaml",
  "morning.yaml",
  "parents.yaml",
  "podcasts.yaml",
  "stories.yaml",
];

/** Story documents shipped beside them (the demo plays this one). */
export const SHIPPED_STORY_FILES = ["sleepy-dragon.yaml"];
