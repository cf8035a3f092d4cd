"""The console: talk to the skill without an Echo, offline, from a terminal or a script.

Not part of the skill itself, and left out of the Lambda bundle: it is the only user of
rapidfuzz and PyYAML. It drives the skill through the same `skill.app.build_skill()` as the
Lambda handler and the web app, with the JSON envelopes the Alexa service would send.

- `commands`: the options of `comeback-coach chat | say | converse` (argparse only, cheap to
  import, so `comeback-coach serve` pays nothing for the console);
- `cli`: running those commands, and the interactive chat loop;
- `model`: a locale's interaction model (intents, samples, slot types) and where it is found;
- `nlu`: typed utterances to intents and slots with that model;
- `languages/`: how each language writes numbers, times and yes/no, and invokes a skill;
- `envelopes`: the request JSON the Alexa service sends;
- `session`: one user's conversation across turns, sessions and days, on a console clock;
- `scripts`: YAML conversation scripts, read and replayed;
- `expectations`: what a script expects of a turn, and how a turn is checked against it.

Nothing is imported here, so that importing `coach_console.commands` stays cheap.
"""
