"""The survey pages' words, Swedish and English side by side."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "surveys": ("Elevhälsa och egna enkäter", "Student health and own surveys"),
    "portal": ("Analysportalen", "Analysis portal"),
    "processing": ("Bearbetning: jamlik.", "Processing: jamlik."),
    "intro": ("Resultat från kommunernas egna enkäter och elevhälsosamtal, per årskurs och kön. "
              "Bara sammanställda andelar visas: inga enskilda svar lämnar enkätdatabasen.",
              "Results from the municipalities' own surveys and student-health dialogues, by "
              "grade and sex. Only aggregated shares are shown: no single answer leaves the "
              "survey database."),
    "method": ("Så ska siffrorna läsas", "How to read the figures"),
    "method_text": ("Andelarna är viktade så att varje årskurs och kön väger så många elever som "
                    "är inskrivna, också de som inte svarade. Intervallet (t.ex. 78–86) visar "
                    "osäkerheten: med 95 % säkerhet ligger den sanna andelen där. Det är bredare "
                    "än ett vanligt urval eftersom elever i samma skola liknar varandra. "
                    "Svarsfrekvensen står vid varje siffra: är den låg kan de som inte svarade "
                    "skilja sig från dem som gjorde det.",
                    "The shares are weighted so that each grade and sex counts as many pupils as "
                    "are enrolled, including those who did not answer. The interval (e.g. "
                    "78–86) shows the uncertainty: with 95 % confidence the true share lies "
                    "within it. It is wider than for a simple sample because pupils in the same "
                    "school resemble each other. The response rate stands by each figure: when "
                    "it is low, those who did not answer may differ from those who did."),
    "suppressed": ("för få svar", "too few answers"),
    "suppressed_text": ("”För få svar” betyder färre än 5 svarande (eller en cell som annars skulle "
                        "avslöja en sådan): den visas aldrig, så att ingen elev kan pekas ut.",
                        "“Too few answers” means fewer than 5 respondents (or a cell that would "
                        "otherwise reveal one): it is never shown, so no pupil can be identified."),
    "synthetic": ("Obs: siffrorna kommer från en syntetisk (påhittad) omgång för att visa hur "
                  "sidan fungerar. De beskriver inga riktiga elever.",
                  "Note: the figures come from a synthetic (made-up) wave to show how the page "
                  "works. They describe no real pupils."),
    "grade": ("Årskurs", "Grade"),
    "girls": ("Flickor", "Girls"),
    "boys": ("Pojkar", "Boys"),
    "all": ("Alla", "All"),
    "county_all": ("Länet, alla", "County, all"),
    "response_rate": ("svarsfrekvens", "response rate"),
    "respondents": ("svarande", "respondents"),
    "over_time": ("Över tid (alla, per årskurs)", "Over time (all, by grade)"),
    "wave": ("Omgång", "Wave"),
    "download": ("Ladda ned tabellen (CSV)", "Download the table (CSV)"),
    "areas_with_data": ("Områden med publicerade resultat", "Areas with published results"),
    "no_data": ("Inga enkätresultat är publicerade ännu.", "No survey results are published yet."),
    "no_data_help": ("En analytiker publicerar dem med kommandona jamlik survey import och "
                     "jamlik survey publish (se dokumentationen).",
                     "An analyst publishes them with the commands jamlik survey import and "
                     "jamlik survey publish (see the documentation)."),
    "no_area": ("Det finns inga publicerade enkätresultat för området.",
                "There are no published survey results for this area."),
    "legend": ("Punkten är andelen, strecket dess 95 %-intervall. Flickor: cirkel, pojkar: "
               "kvadrat.", "The mark is the share, the line its 95 % interval. Girls: circle, "
               "boys: square."),
    "chart_label": ("Andel per årskurs för flickor och pojkar med osäkerhetsintervall; samma "
                    "siffror står i tabellen.", "Share by grade for girls and boys with "
                    "uncertainty intervals; the same figures are in the table."),
    "not_found": ("Sidan finns inte", "Page not found"),
}
