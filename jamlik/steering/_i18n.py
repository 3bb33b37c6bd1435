"""Interface words of the steering pages: Swedish first, English second (``?lang=en``).

The steering pages use the one translator of the web layer (``jamlik.web.i18n.translator``):
a code looks up a (Swedish, English) pair. Words every page uses (Kvinnor, Värde, Period …)
come from ``jamlik.web.i18n.COMMON_WORDS``; this module only adds the steering loop's own
words. Messages from the workflow (errors) stay Swedish; the profile's verdicts come in both
languages (``verdict`` and ``verdict_en``).
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from jamlik.language import is_default
from jamlik.steering._auth import ROLE_LABELS_SV
from jamlik.steering._followup import (
    DEVIATION_LABELS_EN,
    DEVIATION_LABELS_SV,
    SEX_LABELS_EN,
    SEX_LABELS_SV,
    STATUS_LABELS_EN,
    STATUS_LABELS_SV,
)
from jamlik.steering._workflow import QUADRANTS_SV
from jamlik.web.i18n import LANGUAGES, Translator, language
from jamlik.web.i18n import translator as _translator

__all__ = ["LANGUAGES", "QUADRANTS_EN", "ROLE_LABELS_EN", "language", "translator", "with_lang"]

ROLE_LABELS_EN: dict[str, str] = {
    "admin": "administrator",
    "analyst": "analyst",
    "editor": "editor",
    "viewer": "viewer",
    "public": "the public",
}

QUADRANTS_EN: dict[str, str] = {
    "do_first": "Do first: large effect, small resources",
    "plan": "Plan: large effect, large resources",
    "if_time": "Do if there is room: small effect, small resources",
    "avoid": "Refrain: small effect, large resources",
    "unassessed": "Not assessed yet",
}

_WORDS: dict[str, tuple[str, str]] = {
    # navigation and sign-in
    "steering_nav": ("Styrning", "Steering"),
    "site_suffix": ("jamlik styrning", "jamlik steering"),
    "plan": ("Plan", "Plan"),
    "follow_up": ("Uppföljning", "Follow-up"),
    "analysis": ("Analys", "Analysis"),
    "actions": ("Åtgärder", "Actions"),
    "decisions": ("Beslut", "Decisions"),
    "report_pdf": ("Rapport (PDF)", "Report (PDF, Swedish)"),
    "users": ("Användare", "Users"),
    "audit": ("Ändringslogg", "Audit log"),
    "log_in": ("Logga in", "Sign in"),
    "log_out": ("Logga ut", "Sign out"),
    "signed_in_as": ("Inloggad som", "Signed in as"),
    "username": ("Användarnamn", "User name"),
    "password": ("Lösenord", "Password"),
    "login_failed": ("Fel användarnamn eller lösenord. Försök igen.",
                     "Wrong user name or password. Try again."),
    "kolada_footer": ("Källa för indikatorvärden: Kolada (RKA), CC BY 4.0.",
                      "Source of the indicator values: Kolada (RKA), CC BY 4.0."),
    # page titles
    "title_index": ("Styrning och uppföljning", "Steering and follow-up"),
    "title_plan": ("Plan", "Plan"),
    "title_follow_up": ("Uppföljning", "Follow-up"),
    "title_analysis": ("Analys", "Analysis"),
    "title_actions": ("Åtgärder och prioritering", "Actions and priorities"),
    "title_decisions": ("Beslut och uppdrag", "Decisions and assignments"),
    # index
    "index_intro": ("Styrsnurran: planera med mål och målvärden, följ upp och analysera "
                    "avvikelser, prioritera och besluta om åtgärder.",
                    "The steering loop: plan with goals and targets, follow up and analyse "
                    "deviations, prioritise and decide on actions."),
    "no_plans": ("Det finns inga planer ännu. Importera en med", "There are no plans yet. "
                 "Import one with"),
    # follow-up
    "vision": ("Vision", "Vision"),
    "analyse": ("Analysera", "Analyse"),
    "no_deviations": ("Inga avvikelser.", "No deviations."),
    "open_assignments": ("Öppna uppdrag från tidigare beslut",
                         "Open assignments from earlier decisions"),
    "responsible": ("ansvarig", "responsible"),
    "followed_up": ("följs upp", "follow-up"),
    "decision_lc": ("beslut", "decision"),
    "goals_and_indicators": ("Mål och indikatorer", "Goals and indicators"),
    "target": ("Målvärde", "Target"),
    "target_year": ("Målår", "Target year"),
    "status": ("Status", "Status"),
    "certainty": ("Säkerhet", "Certainty"),
    "status_rule_h": ("Så bedöms status", "How the status is assessed"),
    # plan
    "organisation": ("Organisation", "Organisation"),
    "perspectives": ("Styrperspektiv", "Steering perspectives"),
    "perspectives_comma": ("Styrperspektiv (kommaseparerade)",
                           "Steering perspectives (comma-separated)"),
    "edit_organisation": ("Ändra organisationen", "Edit the organisation"),
    "name": ("Namn", "Name"),
    "save_organisation": ("Spara organisationen", "Save the organisation"),
    "overall_goals": ("Övergripande mål", "Overall goals"),
    "perspective": ("Perspektiv", "Perspective"),
    "agenda2030": ("Agenda 2030", "Agenda 2030"),
    "version": ("Version", "Version"),
    "last_changed_by": ("senast ändrad av", "last changed by"),
    "direction": ("Riktning", "Direction"),
    "higher_better": ("högre är bättre", "higher is better"),
    "lower_better": ("lägre är bättre", "lower is better"),
    "by_polarity": ("enligt indikatorns riktning", "as the indicator's polarity"),
    "by_indicator": ("enligt indikatorn", "as the indicator"),
    "remove": ("Ta bort", "Remove"),
    "edit_goal": ("Ändra målet", "Edit the goal"),
    "heading": ("Rubrik", "Title"),
    "description": ("Beskrivning", "Description"),
    "sdg_targets_eg": ("Agenda 2030-delmål (t.ex. 3.4, 10.2)", "Agenda 2030 targets (e.g. 3.4, "
                       "10.2)"),
    "sdg_targets": ("Agenda 2030-delmål", "Agenda 2030 targets"),
    "target_areas_18": ("Målområden 1–8", "Target areas 1–8"),
    "save_goal": ("Spara målet", "Save the goal"),
    "add_indicator": ("Lägg till eller ändra indikator med målvärde",
                      "Add or change an indicator with a target"),
    "indicator_id": ("Indikator-id", "Indicator id"),
    "save_indicator": ("Spara indikatorn", "Save the indicator"),
    "no_goals": ("Inga mål ännu.", "No goals yet."),
    "new_goal": ("Nytt mål", "New goal"),
    "code": ("Kod", "Code"),
    "new_plan": ("Ny plan för en kommun eller region", "New plan for a municipality or region"),
    "area_code": ("Kommun- eller regionkod", "Municipality or region code"),
    "organisation_name": ("Organisationens namn", "Name of the organisation"),
    "create_plan": ("Skapa planen", "Create the plan"),
    "or_import": ("Planer kan också importeras från en TOML-fil med",
                  "Plans can also be imported from a TOML file with"),
    "cause_n": ("Orsak", "Cause"),
    "cause_text": ("Orsaken med ord", "The cause in words"),
    "cause_indicator": ("Indikator som visar den (id, t.ex. N00957)",
                        "Indicator that shows it (id, e.g. N00957)"),
    "cause_link": ("Länk till underlag (https://…)", "Link to evidence (https://…)"),
    "causes_form": ("Orsaker och underlag", "Causes and evidence"),
    "causes_form_help": ("En orsak per rad. Tomma rader sparas inte; spara för att få fler rader.",
                         "One cause per row. Empty rows are not saved; save to get more rows."),
    "add_goal": ("Lägg till målet", "Add the goal"),
    "action_plans": ("Handlingsplaner", "Action plans"),
    "what": ("Vad", "What"),
    "how": ("Hur", "How"),
    "responsible_h": ("Ansvarig", "Responsible"),
    "when": ("När", "When"),
    "follow_up_method": ("Uppföljning", "Follow-up"),
    "how_followed_up": ("Hur följs den upp", "How it is followed up"),
    "budget": ("Budget (kr)", "Budget (SEK)"),
    "new_activity": ("Ny aktivitet", "New activity"),
    "goal": ("Mål", "Goal"),
    "add_activity": ("Lägg till aktiviteten", "Add the activity"),
    "activity_from_example": ("Aktivitet från ett gott exempel i kunskapsbanken",
                              "Activity from a good example in the knowledge bank"),
    "example": ("Exempel", "Example"),
    "from_example": ("Från exemplet", "From the example"),
    "others_worked_on_this": ("Andra som arbetat med detta", "Others who worked on this"),
    "no_action_plans": ("Inga handlingsplaner ännu.", "No action plans yet."),
    "new_action_plan": ("Ny handlingsplan", "New action plan"),
    "from_year": ("Från år", "From year"),
    "to_year": ("Till år", "To year"),
    "create_action_plan": ("Skapa handlingsplanen", "Create the action plan"),
    # analysis
    "analyses_intro": ("Analysera varje avvikelse: sök orsaker med underlag, dra slutsatser och "
                       "föreslå åtgärder.", "Analyse every deviation: look for causes with "
                       "evidence, draw conclusions and propose actions."),
    "deviation": ("Avvikelse", "Deviation"),
    "final": ("klar", "final"),
    "draft": ("utkast", "draft"),
    "start_analysis": ("påbörja analys", "start the analysis"),
    "no_deviations_year": ("Inga avvikelser att analysera", "No deviations to analyse in"),
    "target_lc": ("målvärde", "target"),
    "by_year": ("till", "by"),
    "causes_and_conclusions": ("Orsaker och slutsatser", "Causes and conclusions"),
    "last_saved_by": ("senast sparad av", "last saved by"),
    "evidence": ("underlag", "evidence"),
    "conclusion": ("Slutsats", "Conclusion"),
    "earlier_versions": ("Tidigare versioner", "Earlier versions"),
    "causes_count": ("orsaker", "causes"),
    "conclusion_lc": ("slutsats", "conclusion"),
    "no_analysis": ("Ingen analys sparad ännu.", "No analysis saved yet."),
    "conclusions": ("Slutsatser", "Conclusions"),
    "save_analysis": ("Spara analysen", "Save the analysis"),
    "proposals": ("Åtgärdsförslag", "Proposed actions"),
    "effect": ("effekt", "effect"),
    "resource_need": ("resursbehov", "resource need"),
    "proposed_by": ("föreslagen av", "proposed by"),
    "if_done": ("Om vi gör det", "If we do it"),
    "if_not_done": ("Om vi inte gör det", "If we do not do it"),
    "no_proposals": ("Inga förslag ännu.", "No proposals yet."),
    "action": ("Åtgärd", "Action"),
    "consequence_if_done": ("Konsekvens om vi gör det", "Consequence if we do it"),
    "consequence_if_not_done": ("Konsekvens om vi inte gör det",
                                "Consequence if we do not do it"),
    "estimated_effect": ("Uppskattad effekt (1–5)", "Estimated effect (1–5)"),
    "resource_need_15": ("Resursbehov (1–5)", "Resource need (1–5)"),
    "add_proposal": ("Lägg till förslaget", "Add the proposal"),
    # actions
    "actions_intro": ("Förslagen rangordnas efter effekt mot resursbehov: först stor effekt med "
                      "små resurser.", "Proposals are ranked by effect against resource need: "
                      "large effect with small resources first."),
    "matrix_caption": ("Prioriteringsmatris. Numren är rangordningen nedan.",
                       "Priority matrix. The numbers are the ranking below."),
    "effect_h": ("Effekt", "Effect"),
    "resource_need_h": ("Resursbehov", "Resource need"),
    "priority": ("Prioritet", "Priority"),
    "consequences": ("Konsekvenser", "Consequences"),
    "assess": ("Bedöm", "Assess"),
    "resources": ("Resurser", "Resources"),
    "save": ("Spara", "Save"),
    "no_proposals_year": ("Inga åtgärdsförslag", "No proposed actions in"),
    # decisions
    "date": ("Datum", "Date"),
    "decided_by": ("Beslutat av", "Decided by"),
    "decision": ("Beslut", "Decision"),
    "assigned_to": ("Uppdrag till", "Assigned to"),
    "follow_up_on": ("Följs upp", "Follow-up"),
    "no_decisions": ("Inga beslut registrerade för", "No decisions recorded for"),
    "record_decision": ("Registrera beslut", "Record a decision"),
    "proposal": ("Åtgärdsförslag", "Proposed action"),
    "none": ("(inget)", "(none)"),
    "decided_by_body": ("Beslutat av (organ)", "Decided by (body)"),
    "decided_on": ("Beslutsdatum", "Date of decision"),
    "assignment_to": ("Uppdraget ges till", "The assignment is given to"),
    "assignment_text": ("Uppdrag (om annat än beslutstexten)",
                        "Assignment (if other than the decision text)"),
    "follow_up_by": ("Följs upp senast", "Follow up by"),
    "save_decision": ("Registrera beslutet", "Record the decision"),
    "assignments": ("Uppdrag", "Assignments"),
    "assignment": ("Uppdrag", "Assignment"),
    "change": ("Ändra", "Change"),
    "open": ("pågår", "in progress"),
    "done": ("klart", "done"),
    "report_back": ("Återrapport", "Report back"),
    "no_assignments": ("Inga uppdrag.", "No assignments."),
    # administration
    "user": ("Användare", "User"),
    "role": ("Roll", "Role"),
    "active": ("Aktiv", "Active"),
    "yes": ("ja", "yes"),
    "no": ("nej", "no"),
    "new_user": ("Ny användare", "New user"),
    "password_min": ("Lösenord (minst 15 tecken, gärna en fras av några ord)",
                     "Password (at least 15 characters, a phrase of a few words is fine)"),
    "sessions": ("Inloggningar", "Sessions"),
    "whole_region": ("hela regionen", "whole region"),
    "role_scope": ("Gäller", "Applies to"),
    "sign_out_everywhere": ("Logga ut överallt", "Sign out everywhere"),
    "create_user": ("Skapa användaren", "Create the user"),
    "time_utc": ("Tid (UTC)", "Time (UTC)"),
    "who": ("Vem", "Who"),
    "entity": ("Objekt", "Object"),
    "before": ("Före", "Before"),
    "after": ("Efter", "After"),
    "show": ("visa", "show"),
    "audit_create": ("skapade", "created"),
    "audit_update": ("ändrade", "changed"),
    "audit_delete": ("tog bort", "removed"),
    "audit_login_failed": ("misslyckad inloggning", "failed sign-in"),
    "audit_revoke": ("loggade ut överallt", "signed out everywhere"),
    # errors
    "error_401": ("Inloggning krävs", "Sign-in required"),
    "error_403": ("Behörighet saknas", "Permission missing"),
    "error_404": ("Hittades inte", "Not found"),
    "error_409": ("Konflikt: någon annan har sparat", "Conflict: someone else has saved"),
    "error_422": ("Uppgifterna behöver rättas", "The details need correcting"),
    "error_429": ("För många inloggningsförsök", "Too many sign-in attempts"),
    "error_other": ("Något gick fel", "Something went wrong"),
    "error_code": ("Felkod", "Error code"),
    "back": ("Tillbaka", "Back"),
    "messages_sv": ("", "Trend labels and messages are shown in Swedish."),
    **{f"status_{k}": (v, STATUS_LABELS_EN[k]) for k, v in STATUS_LABELS_SV.items()},
    **{f"deviation_{k}": (v, DEVIATION_LABELS_EN[k]) for k, v in DEVIATION_LABELS_SV.items()},
    **{f"sex_{k}": (v, SEX_LABELS_EN[k]) for k, v in SEX_LABELS_SV.items()},
    **{f"quadrant_{k}": (v, QUADRANTS_EN[k]) for k, v in QUADRANTS_SV.items()},
    **{f"role_{k}": (v, ROLE_LABELS_EN[k]) for k, v in ROLE_LABELS_SV.items()},
}


def translator(lang: str) -> Translator:
    """``t(code)``: the steering word in ``lang``, else the shared web word, else the code."""
    return _translator(lang, _WORDS)


def with_lang(url: str, lang: str) -> str:
    """``url`` with ``lang=en`` added for English pages (Swedish is the default, no parameter)."""
    if is_default(lang):
        return url
    parts = urlsplit(url)
    if "lang=" in parts.query:
        return url
    query = f"{parts.query}&lang={lang}" if parts.query else f"lang={lang}"
    return urlunsplit(parts._replace(query=query))
