"""The textbook peer answers the benchmark's requests for real: a benchmark against a peer that
apologises, or skips its reads and writes, would measure nothing."""

from __future__ import annotations

from pathlib import Path

from benchmarks.common import PEPPER
from benchmarks.peer_skill import build
from benchmarks.workload import MIX, mix, seed_pool
from tests.alexa import plain


def test_the_peer_answers_every_request_of_the_mix_from_its_own_rows(tmp_path: Path) -> None:
    peer = build(f"sqlite:///{tmp_path / 'peer.db'}", PEPPER)
    try:
        (device,) = seed_pool(peer.invoke, "peer", 1, 31)
        answers = {kind: peer.invoke(event) for kind, event in mix(device)}
    finally:
        peer.close()
    speech = {kind: plain(a["response"]["outputSpeech"]["ssml"]) for kind, a in answers.items()}
    assert sorted(speech) == sorted(MIX)
    assert not any("went wrong" in said for said in speech.values()), speech
    assert "31 days of no contact" in speech["launch"]
    assert "logged 32 days in a row" in speech["log day"]
    assert "Today's tip" in speech["tip"]
    assert "This week you logged 7 days" in speech["progress"]
    assert "You are ready" in speech["am I ready"]
