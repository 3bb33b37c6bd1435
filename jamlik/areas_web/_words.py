"""The words of the district pages: every code as a (Swedish, English) pair."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "intro": ("Här ser du kommunens delområden (DeSO och RegSO): en karta, hur områdena "
              "skiljer sig åt, och hur jämnt olika grupper bor fördelade.",
              "The municipality's districts (DeSO and RegSO): a map, how the areas differ and "
              "how evenly groups are spread over them."),
    "what_deso": ("DeSO (demografiska statistikområden) är SCB:s minsta områden för statistik, "
                  "med 700–2 700 invånare. RegSO (regionala statistikområden) är större och "
                  "byggs av hela DeSO.",
                  "DeSO (demographic statistical areas) are SCB's smallest areas for statistics, "
                  "with 700–2,700 residents. RegSO (regional statistical areas) are larger and "
                  "made of whole DeSO."),
    "with_maps": ("Kommuner med karta (Dalarna)", "Municipalities with a map (Dalarna)"),
    "all_municipalities": ("Alla kommuner", "All municipalities"),
    "deso_count": ("DeSO", "DeSO"),
    "map": ("Karta", "Map"),
    "map_of": ("Karta över", "Map of"),
    "colour_by": ("Färglägg efter", "Colour by"),
    "show": ("Visa", "Show"),
    "area_type": ("Områdestyp", "Area type"),
    "no_map": ("Gränser finns bara för Dalarnas kommuner (DeSO 2025). Tabellen nedan visar "
               "alla områden.",
               "Boundaries are shipped for Dalarna's municipalities only (DeSO 2025). The table "
               "below lists every area."),
    "map_help": ("Klicka på ett område för dess profil. Samma siffror finns i tabellen under "
                 "kartan. Randigt grått: värde saknas.",
                 "Click an area for its profile. The same numbers are in the table below the "
                 "map. Striped grey: no value."),
    "legend": ("Teckenförklaring", "Legend"),
    "district_table": ("Områdena", "The areas"),
    "code": ("Kod", "Code"),
    "name": ("Namn", "Name"),
    "regso": ("RegSO", "RegSO"),
    "own_divisions": ("Kommunens egna indelningar", "The municipality's own divisions"),
    "own_intro": ("Indelningar som kommunen själv har läst in (jamlik areas import): NYKO och "
                  "egna stadsdelar, med de DeSO som ingår.",
                  "Divisions the municipality imported itself (jamlik areas import): NYKO and own "
                  "districts, with the DeSO they contain."),
    "own_districts": ("Egna områden", "Own districts"),
    "part_of": ("Ingår i", "Part of"),
    "member_deso": ("Ingående DeSO", "DeSO within"),
    "gradient": ("Skillnader mellan områdestyper", "Differences between area types"),
    "gradient_intro": ("SCB delar in alla RegSO i fem områdestyper efter socioekonomiska "
                       "förutsättningar: typ 1 har stora utmaningar, typ 5 mycket goda "
                       "förutsättningar. En DeSO får sitt RegSO:s typ. Varje typs värde är "
                       "områdenas värden vägda med befolkningen.",
                       "SCB sorts every RegSO into five area types by socio-economic "
                       "conditions: type 1 has major challenges, type 5 very good conditions. A "
                       "DeSO gets its RegSO's type. Each type's value is its areas' values "
                       "weighted by population."),
    "limits": ("95 %-gränser", "95 % limits"),
    "difference": ("Skillnad (typ först − typ sist)", "Difference (first − last type)"),
    "ratio": ("Kvot", "Ratio"),
    "sii": ("Lutningsindex (SII)", "Slope index (SII)"),
    "sii_help": ("Lutningsindex: skillnaden mellan den mest och den minst utsatta änden av "
                 "befolkningen, enligt en linje genom alla områdestyper (negativt: lägre värde i "
                 "de mindre utsatta typerna).",
                 "Slope index: the gap between the most and the least disadvantaged end of the "
                 "population along a line through every area type (negative: lower values in the "
                 "less disadvantaged types)."),
    "deso_n": ("antal DeSO", "DeSO"),
    "population": ("Befolkning", "Population"),
    "segregation": ("Hur jämnt bor grupperna?", "How evenly do groups live?"),
    "seg_intro": ("Måtten visar hur ojämnt en grupp bor fördelad över kommunens områden. De "
                  "visar hur det ser ut, inte varför.",
                  "The measures show how unevenly a group is spread over the municipality's "
                  "areas. They show how it is, not why."),
    "maup": ("Varför två svar? Hur segregerad en kommun ser ut att vara beror på hur man delar "
             "in den. Med många små områden (DeSO) syns skillnader mellan kvarter; med färre och "
             "större områden (RegSO) jämnas en del ut, och värdena blir oftast lägre. Ingen av "
             "indelningarna är den rätta, därför visas båda sida vid sida. Problemet kallas MAUP "
             "(the modifiable areal unit problem).",
             "Why two answers? How segregated a municipality looks depends on how it is divided. "
             "With many small areas (DeSO) differences between neighbourhoods show; with fewer, "
             "larger areas (RegSO) some even out and the values are usually lower. Neither "
             "division is the right one, so both are shown side by side: the modifiable areal "
             "unit problem (MAUP)."),
    "group": ("Grupp", "Group"),
    "measure": ("Mått", "Measure"),
    "over_deso": ("över DeSO", "over DeSO"),
    "over_regso": ("över RegSO", "over RegSO"),
    "areas_n": ("områden", "areas"),
    "year": ("År", "Year"),
    "over_time_note": ("Ett bord per år. 2022 räknas över DeSO 2018 och RegSO 2020 (SCB:s "
                       "antal för hela landet); 2025 över DeSO 2025 och RegSO 2025 (bara "
                       "Dalarna; antalet med utländsk bakgrund räknat från SCB:s andel och "
                       "befolkning, på en person när). Dalarnas DeSO har samma koder båda åren "
                       "(SCB behåller en kod bara för ett oförändrat område), så åren går att "
                       "jämföra. Utbildning finns bara för 2022.",
                       "One table per year. 2022 over DeSO 2018 and RegSO 2020 (SCB's counts "
                       "for all of Sweden); 2025 over DeSO 2025 and RegSO 2025 (Dalarna only; "
                       "persons with foreign background from SCB's share and population, to "
                       "about one person). Dalarna's DeSO keep their codes between the years "
                       "(SCB keeps a code only for an unchanged area), so the years compare. Education is counted for 2022 only."),
    "foreign_background": ("utländsk bakgrund", "foreign background"),
    "swedish_background": ("svensk bakgrund", "Swedish background"),
    "forgymnasial_education": ("förgymnasial utbildning", "pre-upper-secondary education"),
    "profile": ("Profil", "Profile"),
    "compare_with": ("Jämfört med kommunen, länet och riket",
                     "Compared with the municipality, the county and Sweden"),
    "district": ("Området", "The area"),
    "municipality": ("Kommunen", "Municipality"),
    "note": ("Anmärkning", "Note"),
    "where": ("Var området ligger", "Where the area is"),
    "back": ("Till kommunens områden", "To the municipality's areas"),
    "vintage": ("indelning", "division"),
    "type_of": ("Områdestyp", "Area type"),
    "crosstab": ("Korstabell", "Cross-table"),
    "crosstab_intro": ("Välj hur personerna ska delas upp. Celler med färre än tröskeln (minst "
                       "5) personer visas inte, och inte heller celler som skulle kunna räknas "
                       "fram ur totalerna. Skyddade celler visas som ”..”.",
                       "Choose how to divide the persons. Cells with fewer persons than the "
                       "threshold (at least 5) are not shown, nor cells that could be worked out "
                       "from the totals. Protected cells show as “..”."),
    "synthetic": ("Obs: personerna är påhittade (syntetiska) för att du ska kunna prova "
                  "verktyget. Antalet personer och antalet med utländsk bakgrund per DeSO är "
                  "SCB:s (2022); kön och ålder är slumpade. Ladda egna data med kommandot "
                  "jamlik crosstab.",
                  "Note: the persons are invented (synthetic) so you can try the tool. The number "
                  "of persons and of those with foreign background per DeSO are SCB's (2022); "
                  "sex and age are random. Use your own data with the jamlik crosstab command."),
    "dimensions": ("Dela upp efter", "Divide by"),
    "threshold": ("Tröskel (minst 5)", "Threshold (at least 5)"),
    "rounding": ("Avrunda till", "Round to"),
    "no_rounding": ("ingen avrundning", "no rounding"),
    "make_table": ("Gör tabellen", "Make the table"),
    "download": ("Ladda ner", "Download"),
    "persons": ("personer", "persons"),
    "cells": ("celler", "cells"),
    "suppressed_primary": ("skyddade för att de är för små", "protected because they are small"),
    "suppressed_secondary": ("skyddade så att de inte kan räknas fram",
                             "protected so they cannot be worked out"),
    "count": ("Antal", "Count"),
    "protected": ("skyddad", "protected"),
    "first_rows": ("Visar de första 2 000 cellerna; hela tabellen finns i nedladdningen.",
                   "Showing the first 2,000 cells; the download has the whole table."),
    "choose_dimension": ("Välj minst en dimension.", "Choose at least one dimension."),
    "unknown_dimension": ("Dimensionen {dims} finns inte i data — välj bland {known}.",
                          "The dimension {dims} is not in the data — choose from {known}."),
    "bad_threshold": ("Tröskeln måste vara ett heltal mellan 5 och 1000.",
                      "The threshold must be a whole number from 5 to 1000."),
    "bad_rounding": ("Avrundningen kan vara 1, 5 eller 10.", "Rounding can be 1, 5 or 10."),
    "bad_format": ("Okänt format — välj html, csv eller xlsx.",
                   "Unknown format — choose html, csv or xlsx."),
    "unknown_municipality": ("Kommunen finns inte bland områdena — ange en kommunkod med fyra "
                             "siffror, t.ex. 2081.",
                             "No such municipality among the areas — give a four-digit code, "
                             "e.g. 2081."),
    "unknown_district": ("Området finns inte i kommunen.", "No such area in the municipality."),
    "geojson": ("Gränserna som GeoJSON", "The boundaries as GeoJSON"),
    "to_crosstab": ("Gör en korstabell", "Make a cross-table"),
    "limits_approx": ("Gränserna är ungefärliga.", "The limits are approximate."),
}

#: SCB områdestyp 1–5 (RegSO), as SCB names them
AREA_TYPE_NAMES: dict[int, tuple[str, str]] = {
    1: ("stora socioekonomiska utmaningar", "major socio-economic challenges"),
    2: ("socioekonomiska utmaningar", "socio-economic challenges"),
    3: ("socioekonomiskt blandade förutsättningar", "mixed socio-economic conditions"),
    4: ("goda socioekonomiska förutsättningar", "good socio-economic conditions"),
    5: ("mycket goda socioekonomiska förutsättningar", "very good socio-economic conditions"),
}

#: segregation measure → (Swedish name and plain explanation, English)
MEASURES: dict[str, tuple[str, str, str, str]] = {
    "dissimilarity": ("Olikhetsindex (D)",
                      "Hur stor del av gruppen som skulle behöva flytta för att den ska bo lika "
                      "fördelad som alla andra. 0 = helt jämnt, 1 = helt åtskilda.",
                      "Dissimilarity (D)",
                      "The share of the group that would have to move to be spread like everyone "
                      "else. 0 = even, 1 = fully apart."),
    "isolation": ("Isolering",
                  "Andelen från gruppen i det område där en genomsnittlig person i gruppen bor.",
                  "Isolation",
                  "The group's share in the area where the average member of the group lives."),
    "exposure": ("Exponering",
                 "Andelen från övriga befolkningen i det område där en genomsnittlig person i "
                 "gruppen bor (1 − isolering).",
                 "Exposure",
                 "The rest of the population's share in the area where the average member of "
                 "the group lives (1 − isolation)."),
    "theil_h": ("Theils H (entropi)",
                "Hur mycket mindre blandade områdena är än kommunen som helhet. 0 = lika "
                "blandade som kommunen, 1 = helt åtskilda.",
                "Theil's H (entropy)",
                "How much less mixed the areas are than the municipality as a whole. 0 = as "
                "mixed as the municipality, 1 = fully apart."),
}

#: the cross-table builder's dimensions → (Swedish, English)
DIMENSIONS: dict[str, tuple[str, str]] = {
    "deso": ("DeSO", "DeSO"),
    "regso": ("RegSO", "RegSO"),
    "area_type": ("områdestyp", "area type"),
    "sex": ("kön", "sex"),
    "age_band": ("åldersgrupp (5 år)", "age band (5 years)"),
    "background": ("bakgrund (svensk/utländsk)", "background (Swedish/foreign)"),
}
