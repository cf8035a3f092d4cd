"""Talk to the skill without an Echo: offline understanding, real envelopes, scripted replays.

`nlu` turns typed utterances into intents with an interaction model, `envelopes` wraps them in
the JSON the Alexa service sends, `session` holds a conversation across turns, sessions and
days, and `scripts` replays YAML conversations with expectations. `skill.cli` puts a console
on top.
"""

from .nlu import InteractionModel, Resolver
from .scripts import Script, run_script
from .session import ConsoleClock, Conversation, Turn, ZoneDirectory

__all__ = [
    "ConsoleClock",
    "Conversation",
    "InteractionModel",
    "Resolver",
    "Script",
    "Turn",
    "ZoneDirectory",
    "run_script",
]
