"""Every word the analysis layer shows users, Swedish and English side by side.

One catalogue per layer: code → (Swedish, English). The ``*_SV`` tables elsewhere in analysis
are read from here (``sv(...)``), so a code cannot have a Swedish text without an English one
(tests/web/test_words.py checks every table). The verdict sentences are templates in ``VERDICT``
(``str.format`` fields), so a profile row's verdict exists in both languages.
"""

from __future__ import annotations

from collections.abc import Mapping

#: code → (Swedish, English)
Words = Mapping[str, tuple[str, str]]

BENCHMARK_NAMES: dict[str, tuple[str, str]] = {
    "nation": ("riket", "Sweden"),
    "county": ("länet", "the county"),
    "similar": ("liknande kommuner", "similar municipalities"),
}

LIMITS_SOURCES: dict[str, tuple[str, str]] = {
    "source": ("från källan", "from the source"),
    "margin": ("från källans osäkerhetstal", "from the source's margin of error"),
    "wilson": ("beräknat med Wilsons metod", "computed with Wilson's method"),
    "poisson": ("beräknat med Poissonfördelningen", "computed with the Poisson distribution"),
    "derived": ("härlett ur värdet och befolkningen som nämnare",
                "derived from the value with the population as denominator"),
}

#: How limits were computed (``Estimate.method``), for the derived-limits note.
LIMITS_METHODS: dict[str, tuple[str, str]] = {
    "Wilson": ("Wilsons metod", "Wilson's method"),
    "Byars": ("Byars metod (Poisson)", "Byar's method (Poisson)"),
    "Exact": ("exakt Poissonmetod", "exact Poisson method"),
}

#: The confidence level each trend test is judged at.
TEST_LEVELS: dict[str, tuple[str, str]] = {
    "chi2_trend": ("99,8 % konfidensgrad", "99.8% confidence"),
    "weighted_regression": ("99,8 % konfidensgrad", "99.8% confidence"),
    "mann_kendall": ("95 % konfidensgrad", "95% confidence"),
}

FLAG_LABELS: dict[str, tuple[str, str]] = {
    "survey": ("Enkätdata (urval)", "Survey data (sample)"),
    "no_limits": ("Osäkerhet okänd", "Uncertainty unknown"),
    "small_count": ("Litet underlag", "Small numbers"),
    "preliminary": ("Preliminärt", "Preliminary"),
    "pooled_period": ("Sammanslagen period", "Pooled period"),
    "suppressed": ("Skyddat värde", "Suppressed value"),
}

TEST_SHORT: dict[str, tuple[str, str]] = {
    "chi2_trend": ("chi2-test för trend", "chi-squared test for trend"),
    "weighted_regression": ("viktad regression", "weighted regression"),
    "mann_kendall": ("Mann–Kendall-test korrigerat för autokorrelation",
                     "Mann–Kendall test corrected for autocorrelation"),
}

GAP_TREND_LABELS: dict[str, tuple[str, str]] = {
    "widening": ("växande skillnad", "widening gap"),
    "narrowing": ("minskande skillnad", "narrowing gap"),
    "stable": ("ingen säkerställd förändring av skillnaden",
               "no significant change in the gap"),
    "sign_changed": ("skillnaden har bytt tecken", "the gap has changed sign"),
    "cannot_be_calculated": ("förändringen av skillnaden kan inte beräknas",
                             "the change in the gap cannot be calculated"),
}

COLOURING_LABELS: dict[str, tuple[str, str]] = {
    "significance": ("Jämförelse med statistisk säkerhet (konfidensintervall, som Fingertips)",
                     "Comparison with statistical certainty (confidence intervals, as Fingertips)"),
    "rank": ("Relativ placering bland kommunerna (rangordning, som Kolada) – inte bra/dåligt",
             "Relative position among municipalities (ranking, as Kolada) – not good/bad"),
}

#: Every kind of deviation, one word each. The steering loop's follow-up uses the same kinds
#: and words ("worse_than_similar" is worse_than_benchmark with the similar municipalities as
#: the benchmark, named so on the follow-up pages).
KINDS: dict[str, tuple[str, str]] = {
    "worse_than_benchmark": ("Sämre än jämförelsen", "Worse than the benchmark"),
    "worse_than_similar": ("Sämre än liknande kommuner", "Worse than similar municipalities"),
    "trending_worse": ("Utvecklas åt fel håll", "Trending the wrong way"),
    "widening_gap": ("Växande skillnad mellan kvinnor och män",
                     "Widening gap between women and men"),
    "missed_target": ("Målvärdet nås inte", "Target not met"),
}

#: Target statuses (``assess_target``).
STATUSES: dict[str, tuple[str, str]] = {
    "achieved": ("uppnått", "achieved"),
    "on_track": ("på väg", "on track"),
    "off_track": ("ej på väg", "not on track"),
    "cannot_assess": ("kan inte bedömas", "cannot be assessed"),
}

#: The profile's verdict sentences (``_profile._verdict`` and ``_text``), as ``str.format``
#: templates in both languages; the same fields in both texts (tests/web/test_words.py).
VERDICT: dict[str, tuple[str, str]] = {
    "subject_proportion": ("Andelen", "The proportion"),
    "subject_value": ("Värdet", "The value"),
    "unchanged_proportion": ("oförändrad", "unchanged"),
    "unchanged_value": ("oförändrat", "unchanged"),
    "and": (" och ", " and "),
    "to": (" till ", " to "),
    "p_below": ("p < 0,001", "p < 0.001"),
    "increasing": ("ökande", "increasing"),
    "decreasing": ("minskande", "decreasing"),
    "improvement": (", alltså en förbättring", ", that is, an improvement"),
    "deterioration": (", alltså en försämring", ", that is, a deterioration"),
    "cannot_trend": ("Trenden kan inte beräknas.", "The trend cannot be calculated."),
    "significant_trend": (
        "{subject} visar en statistiskt säkerställd {word} trend{span} ({values}{test}, {p})",
        "{subject} shows a statistically significant {word} trend{span} ({values}{test}, {p})"),
    "trend_values": ("från {start} till {end}; ", "from {start} to {end}; "),
    "no_significant_change": ("Ingen statistiskt säkerställd förändring ({test}){base}.",
                              "No statistically significant change ({test}){base}."),
    "has_increased": ("har ökat sedan {since} (från {start} till {end})",
                      "has increased since {since} (from {start} to {end})"),
    "has_decreased": ("har minskat sedan {since} (från {start} till {end})",
                      "has decreased since {since} (from {start} to {end})"),
    "unchanged_since": ("{subject} är {still} sedan {since} ({end}){base}.",
                        "{subject} is {still} since {since} ({end}){base}."),
    "not_significant_change": (
        "{subject} {moved}, men förändringen är inte statistiskt säkerställd ({test}, {p}){base}.",
        "{subject} {moved}, but the change is not statistically significant ({test}, {p}){base}."),
    "cmp_better": ("statistiskt säkerställt bättre än", "statistically significantly better than"),
    "cmp_worse": ("statistiskt säkerställt sämre än", "statistically significantly worse than"),
    "cmp_higher": ("statistiskt säkerställt högre än", "statistically significantly higher than"),
    "cmp_lower": ("statistiskt säkerställt lägre än", "statistically significantly lower than"),
    "cmp_similar": ("ingen säkerställd skillnad mot", "no significant difference from"),
    "level_95": (" (95 % konfidensgrad)", " (95% confidence)"),
    "level_998": (" (99,8 % konfidensgrad)", " (99.8% confidence)"),
    "points": (" procentenheter", " percentage points"),
    "difference_significant": (
        "Skillnaden mot {since} ({diff}{unit}) är statistiskt säkerställd "
        "(z-test, 95 % konfidensgrad, {p}).",
        "The difference from {since} ({diff}{unit}) is statistically significant "
        "(z test, 95% confidence, {p})."),
    "difference_not_significant": (
        "Skillnaden mot {since} ({diff}{unit}) är inte statistiskt säkerställd "
        "(z-test, 95 % konfidensgrad, {p}).",
        "The difference from {since} ({diff}{unit}) is not statistically significant "
        "(z test, 95% confidence, {p})."),
    "limits_derived": (
        "härlett: {method} med antalet räknat ur värdet och nämnaren {base_label}{base}{credit}",
        "derived: {method} with the count computed from the value and the denominator "
        "{base_label}{base}{credit}"),
    "the_population": ("befolkningen", "the population"),
    "base_size": (" (underlag {n})", " (base {n})"),
    "sexes_only": (
        "Indikatorn redovisas bara för kvinnor och män var för sig; se könsskillnaden.",
        "The indicator is published only for women and men separately; see the gap between "
        "the sexes."),
    "not_shown": ("Värdet för {period} redovisas inte: {why}.",
                  "The value for {period} is not shown: {why}."),
    "hidden_small": (
        "underlaget är för litet (1–{below} fall; värden under {t} fall visas aldrig, så att "
        "ingen kan pekas ut)",
        "the numbers are too small (1–{below} cases; values below {t} cases are never shown, "
        "so that no one can be identified)"),
    "hidden_fewer": ("underlaget är för litet (färre än {t} fall)",
                     "the numbers are too small (fewer than {t} cases)"),
    "hidden_confidential": ("källan har skyddat det (sekretess eller för få svar)",
                            "the source has suppressed it (confidentiality or too few answers)"),
    "hidden_missing": ("uppgift saknas hos källan", "the source has no value"),
    "hidden_not_applicable": ("uppgiften är inte tillämplig för området enligt källan",
                              "the source says the value does not apply to the area"),
    "hidden_other": ("källan har skyddat det eller uppgift saknas",
                     "the source has suppressed it or has no value"),
    "base_note": (" (underlaget är {n} personer)", " (the base is {n} people)"),
    "untested_sexes_only": ("indikatorn redovisas bara för kvinnor och män var för sig",
                            "the indicator is published only for women and men separately"),
    "untested_hidden": ("värdet är dolt eller saknas", "the value is hidden or missing"),
    "untested_margin": (
        "källans osäkerhetstal ({kpi}) finns inte i databasen för perioden – hämta det med "
        "`jamlik sync kolada --preset core`",
        "the source's margin of error ({kpi}) is not in the database for the period – fetch it "
        "with `jamlik sync kolada --preset core`"),
    "untested_base": ("befolkningsserien för nämnaren ({base_label}) saknas för perioden",
                      "the population series for the denominator ({base_label}) is missing for "
                      "the period"),
    "untested_none": ("källan redovisar inga konfidensintervall och katalogen anger ingen nämnare",
                      "the source publishes no confidence intervals and the catalogue names no "
                      "denominator"),
    "untested_default": ("källan redovisar inga konfidensintervall",
                         "the source publishes no confidence intervals"),
    "uncertainty_unknown": (
        "Osäkerheten är okänd ({why}), så jämförelserna bygger på rangordning och inte på "
        "signifikanstest.",
        "The uncertainty is unknown ({why}), so the comparisons rest on ranking, not on "
        "significance tests."),
    "kind_counties": ("länen", "the counties"),
    "kind_municipalities": ("kommunerna", "the municipalities"),
    "placing_relative": (
        "Placeringen ({rank} av {of} bland {kind}) är relativ, inte ett mått på om nivån är bra "
        "eller dålig.",
        "The position ({rank} of {of} among {kind}) is relative, not a measure of whether the "
        "level is good or bad."),
    "ci95": ("95 % konfidensintervall {lower}–{upper} ({note}).",
             "95% confidence interval {lower}–{upper} ({note})."),
    "survey": ("Enkätdata: värdet bygger på ett urval och kan variera av slumpen.",
               "Survey data: the value rests on a sample and can vary by chance."),
    "small_count": (
        "Underlaget är litet (färre än 10 fall); gränserna är beräknade med exakt metod.",
        "The numbers are small (fewer than 10 cases); the limits are computed with an exact "
        "method."),
    "preliminary": ("Värdet är preliminärt och kan ändras.",
                    "The value is preliminary and may change."),
    "similar_unknown_se": (
        "Ej testat: osäkerheten i medelvärdet för liknande kommuner är okänd (inte alla "
        "medlemmar har kända gränser)",
        "Not tested: the uncertainty of the similar municipalities' mean is unknown (not all "
        "members have known limits)"),
    "trend_sexes_only": (
        "Trenden kan inte beräknas: indikatorn redovisas bara för kvinnor och män var för sig.",
        "The trend cannot be calculated: the indicator is published only for women and men "
        "separately."),
    "trend_no_values": ("Trenden kan inte beräknas: inga publicerade värden.",
                        "The trend cannot be calculated: no published values."),
    "gap_higher": ("Kvinnor {diff} högre än män", "Women {diff} higher than men"),
    "gap_lower": ("Kvinnor {diff} lägre än män", "Women {diff} lower than men"),
    "gap_none": ("Ingen skillnad mellan kvinnor och män", "No difference between women and men"),
    "gap_unknown": (" (osäkerheten är okänd)", " (the uncertainty is unknown)"),
    "gap_significant": (" (säkerställt, 95 % KI {lower} till {upper})",
                        " (significant, 95% CI {lower} to {upper})"),
    "gap_not_significant": (" (inte statistiskt säkerställt)", " (not statistically significant)"),
    "gap_at": ("{period}: {label}.", "{period}: {label}."),
}

#: The catalogue's reasons why an indicator has no limits (``indicators.csv`` column
#: ``no_limits_reason``, Swedish data) in English, keyed by the Swedish text; a reason not
#: listed here reads as ``VERDICT["untested_default"]`` in English.
NO_LIMITS_REASONS_EN: dict[str, str] = {
    "en totalräkning av befolkningen, ingen skattning":
        "a count of the whole population, not an estimate",
    "åldersstandardiserat: gränser kräver antal och befolkning per åldersgrupp (Dobsons metod), "
    "som Kolada inte publicerar":
        "age-standardised: limits need counts and population by age group (Dobson's method), "
        "which Kolada does not publish",
    "en median (kronor); ingen täljare och nämnare att räkna osäkerhet ur":
        "a median (kronor); no numerator and denominator to compute the uncertainty from",
    "medellivslängd kräver dödsfall och befolkning per åldersgrupp, som inte finns här":
        "life expectancy needs deaths and population by age group, which are not here",
    "andel av dagar: dagarna är inte oberoende händelser, ingen ärlig nämnare":
        "a share of days: days are not independent events, no honest denominator",
    "dagar per försäkrad: dagarna är inte oberoende händelser, ingen ärlig nämnare":
        "days per insured person: days are not independent events, no honest denominator",
    "dagar per invånare: dagarna är inte oberoende händelser, ingen ärlig nämnare":
        "days per inhabitant: days are not independent events, no honest denominator",
    "en kvot mellan två medianer; ingen täljare och nämnare":
        "a ratio of two medians; no numerator and denominator",
    "ett medelvärde (år) utan publicerad spridning": "a mean (years) with no published spread",
    "ett index (Gini) utan publicerad osäkerhet": "an index (Gini) with no published uncertainty",
    "ett medelvärde (meritvärde) utan publicerad spridning":
        "a mean (merit rating) with no published spread",
    "enkätdata utan känt osäkerhetstal i Kolada": "survey data without a known margin in Kolada",
}
#: "underlaget (…) finns inte som befolkningsserie i Kolada", whatever the population
NO_POPULATION_SERIES = ("finns inte som befolkningsserie i Kolada",
                        "the denominator is not published as a population series in Kolada")

#: Every table of this catalogue, by name (for the tests and for translators).
CATALOGUE: dict[str, dict[str, tuple[str, str]]] = {
    "benchmark_names": BENCHMARK_NAMES, "limits_sources": LIMITS_SOURCES,
    "flag_labels": FLAG_LABELS, "test_short": TEST_SHORT, "gap_trend_labels": GAP_TREND_LABELS,
    "colouring_labels": COLOURING_LABELS, "kinds": KINDS, "statuses": STATUSES,
    "limits_methods": LIMITS_METHODS, "test_levels": TEST_LEVELS, "verdict": VERDICT,
}


def sv(words: Words) -> dict[str, str]:
    """The Swedish column of a table."""
    return {code: pair[0] for code, pair in words.items()}


def en(words: Words) -> dict[str, str]:
    """The English column of a table."""
    return {code: pair[1] for code, pair in words.items()}
