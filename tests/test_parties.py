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
