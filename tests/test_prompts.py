from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from briefer.cli import app
from briefer.errors import ConfigError, TemplateError
from briefer.prompts import PromptStore
from tests.conftest import EXAMPLE, write


def test_shipped_prompts_and_default_version():
    store = PromptStore()
    refs = [p.ref for p in store.all()]
    assert {"brief@1", "brief@2", "brief@4", "repair@1", "story@1", "daily@1"} <= set(refs)
    assert store.get("brief").ref == "brief@4"
    assert store.get("brief").answer == "grounded" and store.get("brief@2").answer == "plain"
    assert store.get("brief@3").answer == "translated"
    assert store.translating("brief").ref == "brief@5"
    assert store.get("brief@5").answer == "grounded_translated"
    assert (store.get("story").answer, store.get("daily").answer) == ("story", "daily")
    assert store.get("brief@1").version == 1
    assert store.get("brief@1").params["temperature"] == 0


def test_rendering_is_sandboxed_strict_and_stamped():
    prompt = PromptStore().get("brief@2")
    rendered = prompt.render(article="Text.", title="T", boundary="b" * 16, schema="{}")
    assert "Text." in rendered.user and "Text." not in rendered.system
    stamp = rendered.stamp()
    assert stamp["id"] == "brief" and stamp["version"] == "2" and len(stamp["sha256"]) == 64
    again = prompt.render(article="Text.", title="T", boundary="b" * 16, schema="{}")
    assert again.sha256 == rendered.sha256
    other = prompt.render(article="Other.", title="T", boundary="b" * 16, schema="{}")
    assert other.sha256 != rendered.sha256
    with pytest.raises(TemplateError, match="'schema' is undefined"):
        prompt.render(article="x", title="t", boundary="b")


@pytest.mark.parametrize(("spec", "message"), [
    ("brief@9", "unknown prompt version 'brief@9'; available: brief@1, brief@2, brief@3, "
                "brief@4, brief@5"),
    ("nope", "unknown prompt 'nope'"),
    ("Brief 2", "bad prompt"),
])
def test_bad_prompt_specs(spec, message):
    with pytest.raises(ConfigError, match=message):
        PromptStore().get(spec)


def test_user_folder_adds_versions_and_is_sandboxed(tmp_path):
    write(tmp_path / "brief" / "v5.md.j2",
          "---\nid: brief\nversion: 5\ndescription: mine\n---\n"
          "{% block system %}S{% endblock %}{% block user %}{{ article }}{% endblock %}")
    write(tmp_path / "evil" / "v1.md.j2",
          "---\nid: evil\nversion: 1\n---\n{% block system %}{{ article.__class__.__mro__ }}"
          "{% endblock %}{% block user %}u{% endblock %}")
    store = PromptStore(tmp_path)
    assert store.get("brief").ref == "brief@5"
    assert store.get("brief@2").path.parent.parent != tmp_path
    assert store.get("brief").render(article="A").user == "A"
    with pytest.raises(TemplateError, match="unsafe"):
        store.get("evil").render(article="A")


def test_header_must_match_the_file_name(tmp_path):
    write(tmp_path / "brief" / "v4.md.j2", "---\nid: brief\nversion: 5\n---\n")
    with pytest.raises(ConfigError, match="header says brief@5"):
        PromptStore(tmp_path).all()


def test_prompts_cli(tmp_path):
    runner = CliRunner()
    listing = runner.invoke(app, ["prompts", "list"]).stdout
    rows = {line.split()[0]: line.split()[1] for line in listing.splitlines()[1:]}
    assert rows["brief@4"] == "yes" and rows["brief@2"] != "yes" and rows["brief@1"] != "yes"
    assert rows["story@1"] == "yes" and rows["daily@1"] == "yes"  # issue 12: both listed
    data = json.loads(runner.invoke(app, ["prompts", "list", "--json"]).stdout)
    assert {(p["prompt"], p["default"]) for p in data} >= {
        ("brief@4", "yes"), ("brief@2", ""), ("brief@1", ""), ("story@1", "yes"),
        ("daily@1", "yes")}
    shown = runner.invoke(app, ["prompts", "show", "brief@1"]).stdout
    assert shown.startswith("---\nid: brief\nversion: 1")
    rendered = runner.invoke(app, ["prompts", "show", "brief", "--input", str(EXAMPLE)])
    assert rendered.exit_code == 0
    assert "--- system (brief@4, sha256 " in rendered.stdout
    assert '"bottom_line"' in rendered.stdout and "k1 is the first key issue" in rendered.stdout
    assert "<<<ARTICLE " in rendered.stdout and "Wang Yi" in rendered.stdout
    diff = runner.invoke(app, ["prompts", "diff", "brief@1", "brief@2"]).stdout
    assert diff.startswith("--- brief@1\n+++ brief@2\n") and "-version: 1" in diff
    bad = runner.invoke(app, ["prompts", "show", "brief@7"])
    assert bad.exit_code == 2 and "unknown prompt version" in bad.stderr
