"""The API's lists stay bounded at 2,000 indicators: ``limit`` and ``offset`` on every list,
a default and a maximum on the lists with one row per indicator (indicators, profiles, group
comparisons, deviations), and ``total``/``next`` so a client can read every row page by page."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from jamlik.portal._api import DEFAULT_LIMIT, MAX_LIMIT


def _all_pages(client: TestClient, url: str, key: str) -> tuple[list[Any], list[dict]]:
    """Every row of a paged list, following ``next`` (bounded), and the answers read."""
    rows: list[Any] = []
    answers: list[dict] = []
    while url and len(answers) < 200:
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.text)
        body = answer.json()
        answers.append(body)
        rows += body[key]
        url = body["next"]
    return rows, answers


@pytest.mark.parametrize(("path", "key"), [
    ("/api/v1/indicators", "indicators"),
    ("/api/v1/profiles/2080", "rows"),
    ("/api/v1/areas/2080/groups/socioekonomi", "rows"),
    ("/api/v1/deviations/2080", "deviations"),
    ("/api/v1/areas", "areas"),
    ("/api/v1/observations?indicator=N00957&areas=2080,20", "observations"),
])
def test_paging_through_a_list_gives_every_row_once_in_order(small_sections, path, key) -> None:  # noqa: ANN001
    whole = small_sections.get(path + ("&" if "?" in path else "?") + f"limit={MAX_LIMIT}").json()
    assert whole["total"] == len(whole[key]) > 3 and whole["next"] is None
    first = path + ("&" if "?" in path else "?") + "limit=3"
    rows, answers = _all_pages(small_sections, first, key)
    assert rows == whole[key]
    assert len(answers) == -(-whole["total"] // 3)
    assert [a["offset"] for a in answers] == list(range(0, whole["total"], 3))
    assert all(a["limit"] == 3 and a["total"] == whole["total"] for a in answers)


def test_the_per_indicator_lists_have_a_default_and_a_maximum(small_sections) -> None:  # noqa: ANN001
    body = small_sections.get("/api/v1/indicators").json()
    assert body["limit"] == DEFAULT_LIMIT and body["offset"] == 0
    assert len(body["indicators"]) == min(body["total"], DEFAULT_LIMIT)
    too_many = small_sections.get(f"/api/v1/profiles/2080?limit={MAX_LIMIT + 1}")
    assert too_many.status_code == 400
    assert "heltal 1–2000" in too_many.json()["detail"]
    # the lists that are not one row per indicator answer every row unless asked
    areas = small_sections.get("/api/v1/areas").json()
    assert areas["limit"] is None and len(areas["areas"]) == areas["total"] > DEFAULT_LIMIT / 2


@pytest.mark.parametrize("query", ["limit=0", "limit=abc", "offset=-1", "offset=1.5"])
def test_a_bad_window_is_a_swedish_400(small_sections, query) -> None:  # noqa: ANN001
    answer = small_sections.get(f"/api/v1/indicators?{query}")
    assert answer.status_code == 400
    assert "är inte ett heltal" in answer.json()["detail"]


def test_an_offset_past_the_end_is_empty(small_sections) -> None:  # noqa: ANN001
    body = small_sections.get("/api/v1/profiles/2080?offset=100000").json()
    assert body["rows"] == [] and body["next"] is None and body["total"] > 0


def test_latest_periods_in_one_query_equal_the_store_per_indicator(small_sections) -> None:  # noqa: ANN001
    data = small_sections.app.state.data
    rows = small_sections.get(f"/api/v1/indicators?limit={MAX_LIMIT}").json()["indicators"]
    assert rows and all(r["latest_period"] == data.store.latest_period(r["id"]) for r in rows)
    one = small_sections.get(f"/api/v1/indicators/{rows[0]['id']}").json()
    assert one == rows[0]


def test_the_group_page_equals_the_whole_comparison(small_sections) -> None:  # noqa: ANN001
    data = small_sections.app.state.data
    group = data.group("2080", "socioekonomi")
    whole = data.group_comparison("2080", group)
    page = small_sections.get("/api/v1/areas/2080/groups/socioekonomi?limit=5&offset=5").json()
    assert len(page["rows"]) == 5
    for row in page["rows"]:
        expected = whole[row["indicator"]]
        assert {k: row[k] for k in ("mean", "n", "place", "vs_group")} == {
            k: expected[k] for k in ("mean", "n", "place", "vs_group")}
    one = small_sections.get("/api/v1/areas/2080/groups/socioekonomi?indicator=N00957").json()
    assert [r["indicator"] for r in one["rows"]] == ["N00957"] and one["total"] == 1


def test_the_api_documents_limit_and_offset(small_sections) -> None:  # noqa: ANN001
    spec = small_sections.get("/api/openapi.json").json()
    for path in ("/api/v1/indicators", "/api/v1/profiles/{code}", "/api/v1/deviations/{code}",
                 "/api/v1/areas/{code}/groups/{group}", "/api/v1/areas", "/api/v1/observations"):
        names = {p["name"] for p in spec["paths"][path]["get"]["parameters"]}
        assert {"limit", "offset"} <= names, path
