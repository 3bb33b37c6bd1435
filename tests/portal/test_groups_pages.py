"""Comparison groups and women/men in the portal: profile, indicator page, /jamfor, API."""

from __future__ import annotations

import json
import re

import pytest


def _spec(html: str, fig: str) -> dict:
    m = re.search(rf'data-target="{fig}">(.*?)</script>', html, re.S)
    assert m, fig
    return json.loads(m.group(1).replace("<\\/", "</"))


def test_profile_shows_the_group_section_with_members(client) -> None:
    html = client.get("/kommun/falun?grupp=aldreomsorg").text
    assert 'id="jamforelsegrupp"' in html
    assert "Liknande kommuner – äldreomsorg" in html
    section = html[html.index('id="jamforelsegrupp"'):html.index('id="h-dev"')]
    assert "Borlänge" in section  # a member of Falun's äldreomsorg group
    assert 'data-indicator="N00957"' in section
    assert 'value="G176526" selected' in section


def test_profile_default_group_is_socioekonomi(client) -> None:
    html = client.get("/kommun/2080").text
    section = html[html.index('id="jamforelsegrupp"'):html.index('id="h-dev"')]
    assert "Liknande kommuner – socioekonomi" in section and "Östersund" in section


def test_group_table_downloads(client) -> None:
    r = client.get("/kommun/2080?grupp=C6&format=csv&tabell=grupp")
    assert r.status_code == 200
    assert "gruppens medelvärde" in r.content.decode("utf-8-sig")


def test_unknown_group_is_a_swedish_404(client) -> None:
    r = client.get("/kommun/2080?grupp=fotboll")
    assert r.status_code == 404 and "Jämförelsegruppen finns inte" in r.text


def test_indicator_page_falun_vs_its_similar_municipalities(client, store_values,
                                                            page_with_charts) -> None:
    html = page_with_charts(client, "/indikator/N00957?omraden=Falun&grupp=socioekonomi")
    assert 'id="gruppsammanfattning"' in html
    spec = _spec(html, "fig-grupp")
    names = spec["data"][0]["y"]
    assert "Falun" in names and "Östersund" in names and len(names) == 8
    mean = spec["layout"]["shapes"][0]["x0"]
    assert mean == pytest.approx(sum(v for n, v in zip(names, spec["data"][0]["x"], strict=True)
                                     if n != "Falun") / 7)
    trend = _spec(html, "fig-trend")
    assert [t["name"] for t in trend["data"]][-1].startswith("Liknande kommuner – socioekonomi")


def test_kon_k_m_draws_area_county_and_nation_for_both_sexes(client, page_with_charts) -> None:
    html = page_with_charts(client, "/indikator/N00957?omraden=2080&kon=K,M")
    names = [t["name"] for t in _spec(html, "fig-trend")["data"]]
    for area in ("Falun", "Dalarnas län", "Riket"):
        assert f"{area} – kvinnor" in names and f"{area} – män" in names
    traces = {t["name"]: t for t in _spec(html, "fig-trend")["data"]}
    assert traces["Falun – kvinnor"]["line"]["color"] == traces["Falun – män"]["line"]["color"]
    assert traces["Falun – kvinnor"]["line"]["dash"] != traces["Falun – män"]["line"]["dash"]
    # repeated parameters mean the same
    again = page_with_charts(client, "/indikator/N00957?omraden=2080&kon=K&kon=M")
    assert [t["name"] for t in _spec(again, "fig-trend")["data"]] == names


def test_bad_kon_is_refused_in_swedish(client) -> None:
    r = client.get("/indikator/N00957?kon=X")
    assert r.status_code == 400 and "okänt" in r.text


def test_compare_accepts_names_and_a_group(client, page_with_charts) -> None:
    html = page_with_charts(client, "/jamfor?omraden=Falun&grupp=socioekonomi&indikator=N00957")
    names = [t["name"] for t in _spec(html, "fig-jamfor")["data"]]
    assert names[0] == "Falun" and "Luleå" in names and len(names) == 9  # 8 + the mean
    assert '<datalist id="omraden-lista">' in html and '<option value="Borlänge"' in html
    html = page_with_charts(client, "/jamfor?omraden=Falun,Dalarna,Riket&kon=K,M")
    assert "Dalarnas län – män" in [t["name"] for t in _spec(html, "fig-jamfor")["data"]]


def test_api_groups_and_comparison(client) -> None:
    body = client.get("/api/v1/areas/2080").json()
    assert body["groups"][0]["theme"] == "socioekonomi"
    groups = client.get("/api/v1/areas/falun/groups").json()["groups"]
    assert len(groups) == 14
    cmp = client.get("/api/v1/areas/2080/groups/socioekonomi?indicator=N00957").json()
    row = cmp["rows"][0]
    assert row["indicator"] == "N00957" and row["n"] == 7 and row["of"] == 8
    assert cmp["group"]["members"] == body["similar_socioeconomic"]
    assert client.get("/api/v1/areas/2080/groups/fotboll").status_code == 404
    assert client.get("/api/v1/areas/20/groups/lan").status_code == 404


def test_profile_jumps_to_its_deviations(client) -> None:
    html = client.get("/kommun/borlange").text
    jump = html.index('id="hopp-avvikelser"')
    assert jump < html.index('id="profil"')  # at the top, before the long tables
    assert 'href="#avvikelser"' in html and '<section id="avvikelser"' in html
    assert 'class="top-deviations"' in html


def test_gaps_page_draws_the_county_and_a_chart_per_breakdown(client, page_with_charts) -> None:
    html = page_with_charts(client, "/skillnader/2080")
    names = [t["name"] for t in _spec(html, "fig-kon")["data"]]
    for area in ("Falun", "Dalarnas län", "Riket"):
        assert f"{area} – kvinnor" in names and f"{area} – män" in names

