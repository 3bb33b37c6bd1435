"""Examples beside a decision: "andra som arbetat med detta"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jamlik.cli import _load_commands, app
from jamlik.knowledge import load_bank, related_examples, related_to_indicator

_load_commands()
runner = CliRunner()


def test_own_municipality_first_then_county_then_by_shared_topics() -> None:
    hits = related_examples(load_bank(), "2034", action_areas=[1], malomraden=[2])
    assert [(h.example.id, h.proximity, h.score) for h in hits] == [
        ("orsa-samverkan-barn-och-unga", 0, 3.0),      # Orsa's own: area 1 and målområde 2
        ("ludvika-barnhalsoteam-villgott", 1, 2.0),    # Dalarna: action area 1
        ("smedjebacken-motivationslyftet", 1, 1.0),    # Dalarna: målområde 2
    ]
    assert hits[0].reasons == ("samma åtgärdsområde: 1", "samma målområde: 2")
    # the same reasons in English, from the same words (pages with ?lang=en)
    assert hits[0].reasons_en == ("same action area: 1", "same target area: 2")
    assert hits[0].as_json()["reasons_en"] == ["same action area: 1", "same target area: 2"]


def test_examples_elsewhere_rank_after_and_nothing_shared_gives_nothing() -> None:
    hits = related_examples(load_bank(), "0180", malomraden=[3], limit=None)
    assert {h.proximity for h in hits} == {2} and len(hits) == 4
    assert related_examples(load_bank(), "2080", action_areas=[30]) == []
    with pytest.raises(ValueError, match="ingen känd kommunkod"):
        related_examples(load_bank(), "9999", malomraden=[3])


def test_a_deviation_on_long_term_unemployment_in_falun_finds_the_work_examples(
        sample_store) -> None:  # noqa: ANN001 - the conftest fixture
    # N03926 (långtidsarbetslöshet) is in målområde 3 in the catalogue
    hits = related_to_indicator(sample_store, load_bank(), "2080", "N03926", limit=None)
    assert [h.example.id for h in hits] == [
        "alvdalen-en-dorr-in", "alvdalen-jobb-i-norr", "avesta-orsa-vilka-ar-vi",
        "fokus-20-25-nedansiljan"]
    assert all(h.proximity == 1 for h in hits)


def test_cli_related_json(sample_db_path: Path) -> None:
    result = runner.invoke(app, ["examples", "related", "--municipality", "Orsa",
                                 "--action-area", "1", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [d["id"] for d in json.loads(result.stdout)] == [
        "orsa-samverkan-barn-och-unga", "ludvika-barnhalsoteam-villgott"]
    result = runner.invoke(app, ["examples", "related", "--municipality", "2080",
                                 "--indicator", "N03926", "--db", str(sample_db_path),
                                 "--format", "json", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert [d["id"] for d in json.loads(result.stdout)] == ["alvdalen-en-dorr-in",
                                                           "alvdalen-jobb-i-norr"]
    result = runner.invoke(app, ["examples", "related", "--municipality", "2080"])
    assert result.exit_code == 1 and "--action-area" in result.stderr
