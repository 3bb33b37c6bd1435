"""/api/v1/life-expectancy/{code}: life expectancy from the store's SCB deaths and mean
population by age (Riket 2006–2020 in the sample)."""

from __future__ import annotations


def test_life_expectancy_api_for_riket(client) -> None:
    body = client.get("/api/v1/life-expectancy/riket").json()
    assert body["area"] == "0000" and body["women"]["period"] == 2020  # the latest year
    assert (body["women"]["period_start"], round(body["women"]["value"], 2)) == (2016, 84.44)
    assert round(body["men"]["value"], 2) == 80.96
    assert body["gap"]["lower"] < body["gap"]["value"] < body["gap"]["upper"]
    at65 = client.get("/api/v1/life-expectancy/0000?period=2019&span=1&at_age=65").json()
    assert at65["women"]["period_start"] == at65["women"]["period"] == 2019
    assert 20 < at65["women"]["value"] < 25 and at65["men"]["at_age"] == 65


def test_life_expectancy_api_says_what_is_missing(client) -> None:
    answer = client.get("/api/v1/life-expectancy/2080")
    assert answer.status_code == 404 and "döda per ålder" in answer.json()["detail"]
    assert client.get("/api/v1/life-expectancy/0000?at_age=32").status_code == 404
