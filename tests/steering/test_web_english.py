"""The steering pages in English (?lang=en); Swedish stays the default."""

from __future__ import annotations

from steering_webapp import add_users, client_for, make_app

from jamlik.steering import Workflow


def _app(falun: Workflow, store):
    add_users(falun)
    return make_app(falun, store)


def test_follow_up_in_english_names_status_rule_and_headings(falun, store):
    client, _ = client_for(_app(falun, store), "public")
    html = client.get("/styrning/2080/uppfoljning/2022?lang=en").text
    assert '<html lang="en">' in html
    assert "<h1>Follow-up 2022: Falu kommun</h1>" in html
    for words in ("Deviations", "Goals and indicators", "Target year", "Women",
                  "How the status is assessed", "Target not met"):
        assert words in html, words
    # Kolada N00957 Falun 2022: 20.66 against the target 18 for 2022 → not on track
    assert '<span class="status-off_track">not on track</span>' in html
    assert ("Not on track: the target 18 was to be reached by 2022, but the value (2022) is "
            "20.66 — lower is better.") in html
    assert "ej på väg" not in html and "Avvikelser" not in html
    # links keep the language; the switch goes back to Swedish
    assert 'href="/styrning/2080/plan?lang=en"' in html
    assert 'href="/styrning/2080/uppfoljning/2022"' in html


def test_swedish_is_the_default(falun, store):
    client, _ = client_for(_app(falun, store), "public")
    html = client.get("/styrning/2080/uppfoljning/2022").text
    assert '<html lang="sv">' in html and "<h2 id=\"dev-h\">Avvikelser</h2>" in html
    assert '<span class="status-off_track">ej på väg</span>' in html
    assert "Ej på väg: målvärdet 18 skulle nås 2022, men värdet (2022) är 20,66" in html
    assert 'href="/styrning/2080/uppfoljning/2022?lang=en"' in html  # "In English"
    assert "?lang=sv" not in html


def test_plan_form_in_english_posts_and_returns_in_english(falun, store):
    client, token = client_for(_app(falun, store), "editor")
    html = client.get("/styrning/2080/plan?lang=en").text
    for words in ("Overall goals", "Save the goal", "higher is better", "Target year",
                  '<option value="K">women</option>', 'action="/styrning/2080/mal?lang=en"'):
        assert words in html, words
    assert "Signed in as <strong>editor1</strong> (editor)" in html
    r = client.post("/styrning/2080/mal?lang=en", data={
        "csrf_token": token, "key": "G9", "title": "Trygghet"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/styrning/2080/plan?lang=en"


def test_errors_and_sign_in_in_english(falun, store):
    app = _app(falun, store)
    public, _ = client_for(app, "public")
    login = public.get("/styrning/logga-in?lang=en").text
    assert "User name" in login and "Password" in login and "Användarnamn" not in login
    viewer, _ = client_for(app, "viewer")
    page = viewer.get("/styrning/anvandare?lang=en")
    assert page.status_code == 403 and "<h1>Permission missing</h1>" in page.text
    assert "Error code 403" in page.text


def test_trend_words_and_example_reasons_in_english_from_the_same_sentences(falun, store):
    client, _ = client_for(_app(falun, store), "public")
    sv = client.get("/styrning/2080/uppfoljning/2022").text
    en = client.get("/styrning/2080/uppfoljning/2022?lang=en").text
    # the trend column (stats.trend.trend_label) and "andra som arbetat med detta"'s reasons
    # (knowledge.RELATED_REASONS), Swedish by default and English with ?lang=en
    for swedish, english in (("<td>ökande och blir bättre</td>",
                              "<td>increasing and getting better</td>"),
                             ("<td>ingen säkerställd förändring</td>",
                              "<td>no significant change</td>"),
                             ("– samma målområde: 3", "– same target area: 3")):
        assert swedish in sv and english not in sv, swedish
        assert english in en and swedish not in en, english
    plan_sv = client.get("/styrning/2080/plan").text
    plan_en = client.get("/styrning/2080/plan?lang=en").text
    assert "samma målområde: 3" in plan_sv and "same target area" not in plan_sv
    assert "same target area: 3" in plan_en and "samma målområde" not in plan_en
