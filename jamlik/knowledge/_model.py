"""The knowledge bank's domain model: a good example with structured fields, and its scales."""

from __future__ import annotations

from dataclasses import dataclass

#: Sectors an organisation behind an example belongs to: code -> (Swedish, English).
SECTORS: dict[str, tuple[str, str]] = {
    "offentlig": ("offentlig sektor", "public sector"),
    "civilsamhälle": ("civilsamhälle", "civil society"),
    "näringsliv": ("näringsliv", "business"),
    "akademi": ("akademi", "academia"),
}

#: Kinds of example (as the shipped bank classifies them): code -> (Swedish, English).
KINDS: dict[str, tuple[str, str]] = {
    "styrning": ("styrning och ledning", "governance"),
    "insats": ("insats", "intervention"),
    "samverkan": ("samverkan", "collaboration"),
    "kompetens": ("kompetensutveckling", "competence development"),
    "social_innovation": ("social innovation", "social innovation"),
    "metod": ("metod", "method"),
    "utvärdering": ("utvärdering", "evaluation"),
}

#: Evidence level: how much is known about whether the example works (docs/KNOWLEDGE.md).
#: 0–4, each step requiring the one before; a judgement of what has been published.
EVIDENCE_LEVELS: dict[int, tuple[str, str]] = {
    0: ("ej bedömd", "not assessed"),
    1: ("beskriven: arbetssättet är beskrivet, inga resultat redovisade",
        "described: the way of working is described, no results reported"),
    2: ("uppföljd: resultat redovisade med siffror (t.ex. antal som nåtts, gått vidare)",
        "followed up: results reported with figures (e.g. how many were reached)"),
    3: ("utvärderad: före–efter eller jämförelse, gjord eller granskad av någon utanför",
        "evaluated: before–after or comparison, done or reviewed by someone outside"),
    4: ("effektutvärderad: kontrollerad jämförelse eller systematisk översikt visar effekt",
        "effect shown: a controlled comparison or systematic review shows an effect"),
}


@dataclass(frozen=True)
class Example:
    """One good example, method or evaluation in the knowledge bank.

    municipality_codes: SCB codes ("2081"); theme_number: the Samling's theme 1–4 (None when
    it spans them); action_areas: the Samling's action areas 1–30; malomraden: national
    målområden 0–8; sdg_targets: Agenda 2030 targets ("3.4") or goals ("3"); indicators:
    indicator ids in the store the example aims to move; evidence_level: EVIDENCE_LEVELS;
    year..period_end: the period it ran (period_end None: ongoing or unknown);
    contact_role: a role ("folkhälsostrateg, Orsa kommun"), never a private person.
    """

    id: str
    title: str
    municipality_codes: tuple[str, ...]
    organisation: str = ""
    sectors: tuple[str, ...] = ()
    year: int | None = None
    period_end: int | None = None
    theme_number: int | None = None
    action_areas: tuple[int, ...] = ()
    malomraden: tuple[int, ...] = ()
    sdg_targets: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    kind: str = ""
    target_group: str = ""
    evidence_level: int = 0
    summary_sv: str = ""
    #: what came of it, with figures ("50 tog kontakt, 33 gick vidare till studier/arbete")
    results: str = ""
    #: what it cost and who paid ("5 mnkr/år 2019–2021, kommunens innovationsmedel")
    costs: str = ""
    contact_role: str = ""
    source: str = ""
    source_page: str = ""
    url: str = ""

    def as_json(self) -> dict[str, object]:
        """Plain JSON (keys in English, texts in Swedish), lists for the multi-valued fields."""
        return {
            "id": self.id, "title": self.title,
            "municipality_codes": list(self.municipality_codes),
            "organisation": self.organisation, "sectors": list(self.sectors),
            "year": self.year, "period_end": self.period_end,
            "theme_number": self.theme_number, "action_areas": list(self.action_areas),
            "malomraden": list(self.malomraden), "sdg_targets": list(self.sdg_targets),
            "indicators": list(self.indicators), "kind": self.kind,
            "target_group": self.target_group, "evidence_level": self.evidence_level,
            "summary_sv": self.summary_sv, "results": self.results, "costs": self.costs,
            "contact_role": self.contact_role,
            "source": self.source, "source_page": self.source_page, "url": self.url,
        }


#: The columns of a bank file, in order (the shipped file's, plus the structured fields).
COLUMNS = ("id", "municipality_codes", "organisation", "sectors", "title", "year",
           "period_end", "theme_number", "action_areas", "malomraden", "sdg_targets",
           "indicators", "kind", "target_group", "evidence_level", "summary_sv",
           "results", "costs", "contact_role", "source", "source_page", "url")
#: Columns a file must have; the others may be left out (then empty).
REQUIRED = ("id", "municipality_codes", "title")
