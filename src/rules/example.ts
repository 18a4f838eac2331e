/** Written into an empty rules_dir on first start, so people begin from something that validates. */
export const EXAMPLE_RULES = `# Yoto Smart Stream rules: Home Assistant's automation vocabulary.
# Every *.yaml file in this folder is loaded; edits reload by themselves.
# Check a folder with: yoto-smart-stream rules check <folder>
# More examples (playlists by the time of day, stories, podcasts, and parents' controls: a daily
# listening budget and a school-night wind-down) are in the add-on's documentation, under Rules.

- id: example_bedtime_volume
  alias: Quieter after bedtime
  description: At 19:30 on school nights, turn every player down.
  mode: single
  triggers:
    - trigger: time
      at: "19:30"
  conditions:
    - condition: time
      weekday: [sun, mon, tue, wed, thu]
  actions:
    - action: log
      message: "Bedtime: {{ trigger.at }}"
    # Name your player here, e.g.:
    # - action: player.volume
    #   player: Bedroom
    #   percent: 30
`;
