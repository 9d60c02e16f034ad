"""valid_party: speakers that cannot be parties are rejected."""

from __future__ import annotations

import pytest

from briefer.engines.parties import valid_party


@pytest.mark.parametrize("name", [
    "Saturday", "on Monday", "last week", "March", "Sept", "he", "They", "it", "Pending",
    "All I'd", "What we'd", "opponents", "the critics", "4°C) warming", "KDP-C review",
    "2.5 million", "", None, "  ", "Analysis", "reporters", "a statement",
])
def test_rejected(name):
    assert not valid_party(name)


@pytest.mark.parametrize("name", [
    "Hamas", "Wang Yi", "the European Commission", "U.S. officials", "the farmers",
    "Democrats", "G7 leaders", "P5+1", "Sergei Ryabkov", "China's Taiwan Affairs Office",
    "Bank of Japan", "Senate Republicans",
])
def test_accepted(name):
    assert valid_party(name)


def test_party_for_prefers_a_named_person_over_an_outlet():
    from briefer.engines.attribution import People, attribute
    from briefer.engines.parties import party_for

    text = ("Analyst Reyk Knuhtsen has followed the robot makers for years.\n\n"
            '"People should take these robots seriously," Reyk Knuhtsen told CNBC.')
    people = People(text)
    sentence = text.split("\n\n")[1]
    at = text.index(sentence)
    att = attribute(sentence, people, at, [])
    assert party_for(sentence, att, people, at, []) == "Reyk Knuhtsen"


def test_party_for_falls_back_to_the_subject():
    from briefer.engines.attribution import People
    from briefer.engines.parties import party_for

    text = "Beijing regards the island as part of its territory."
    assert party_for(text, None, People(text), 0, []) == "Beijing"


def test_sentence_adverbs_are_no_parties():
    from briefer.engines.parties import valid_party

    for word in ("Rather", "Indeed", "Finally", "Otherwise", "Likewise"):
        assert not valid_party(word), word
    assert valid_party("Rather & Co") and valid_party("Hamas")
