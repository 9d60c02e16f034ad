"""Sections are declared once (briefer.model.SECTION_TABLE): a section added to the table
reaches the model's answer schema and every output format with no other change."""

from __future__ import annotations

import io
import json
from datetime import datetime, timezone

import pytest
from docx import Document
from pydantic import BaseModel, Field

from briefer import model
from briefer.engines import draft
from briefer.model import Brief, Evidence, Meta, Section, Source, _Item
from briefer.render import render

TEXT = "Dockworkers in Kelby said a strike could close the port for a month."


class Risk(_Item):
    party: str | None = None
    risk: str = Field(min_length=1)
    _text_field, _who_field = "risk", "party"


class DraftRisk(BaseModel):
    party: str | None = None
    risk: str
    quote: str


class RiskyBrief(Brief):
    risks: list[Risk] = Field(default_factory=list)


@pytest.fixture
def with_risks(monkeypatch):
    spec = Section("risks", "Risks ahead", Risk, DraftRisk, 3, 3, 3, "party", "Unattributed")
    monkeypatch.setattr(model, "SECTION_TABLE", (*model.SECTION_TABLE, spec))
    return spec


def _brief() -> RiskyBrief:
    evidence = Evidence(source_id="s1", quote=TEXT, start=0, end=len(TEXT))
    return RiskyBrief(
        title="Kelby port", summary=TEXT, summary_evidence=[evidence],
        risks=[Risk(party="Dockworkers", risk="a strike could close the port",
                    evidence=[evidence])],
        sources=[Source(id="s1", path_or_url="kelby.txt", sha256="0" * 64, chars=len(TEXT))],
        meta=Meta(engine_or_provider="extractive", briefer_version="0",
                  created_at=datetime(2026, 1, 1, tzinfo=timezone.utc)))


def test_a_new_section_is_in_the_models_answer_schema(with_risks):
    fields = draft._fields()
    assert "risks" in fields and fields["risks"][0] == list[DraftRisk]


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "json"])
def test_a_new_section_renders_in_every_format(with_risks, fmt):
    out = render(_brief(), fmt)
    if fmt == "docx":
        doc = Document(io.BytesIO(out))
        out = "\n".join(p.text for p in doc.paragraphs)
    elif fmt == "json":
        data = json.loads(out)
        assert data["risks"][0]["risk"] == "a strike could close the port"
        return
    assert "Risks ahead" in out
    assert "Dockworkers" in out and "a strike could close the port" in out
    assert "[1]" in out  # cited like any item


def test_items_and_evidence_cover_the_new_section(with_risks):
    brief = _brief()
    assert [name for name, _ in brief.items()] == ["risks"]
    assert len(list(brief.all_evidence())) == 2
