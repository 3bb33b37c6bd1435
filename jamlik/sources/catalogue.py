"""The source catalogue: national sources a Swedish municipality uses, and shipped presets.

Each shipped PxWeb preset is a mapping file in ``jamlik/sources/presets/`` whose ``[about]``
table says what it fetches, its licence, how often the source updates and what of it was
verified against a real response. ``[query]`` may name ``"@county_areas"``: the county's
municipalities, the county and Riket, in the table's codes (Riket = ``00``).

Sources listed without a shipped mapping say why (``shipped = False`` and ``reason_sv``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from jamlik.io import parse_toml
from jamlik.sources._engine import ProgressFn, SyncSummary
from jamlik.sources._http import HttpClient, SyncError
from jamlik.sources.kolada import ATTRIBUTION, core_kpis, preset_areas, sync_kolada
from jamlik.sources.pxweb import PxMapping, mapping_from_dict, sync_pxweb
from jamlik.store import Store

COUNTY_AREAS = "@county_areas"


@dataclass(frozen=True)
class SourceEntry:
    """One catalogue entry (Swedish texts: they are shown as they are)."""

    id: str
    title_sv: str
    provider: str
    kind: str  # kolada | pxweb
    fetches: str
    licence: str
    cadence: str
    verified: str
    base_url: str | None = None
    table: str | None = None
    preset_file: str | None = None  # in jamlik/sources/presets/
    reason_sv: str | None = None  # why nothing is shipped

    @property
    def shipped(self) -> bool:
        return self.kind == "kolada" or self.preset_file is not None


_KOLADA_CORE = SourceEntry(
    id="kolada-core", title_sv="Koladas kärnindikatorer (RKA)", provider="Kolada (RKA)",
    kind="kolada", base_url="https://api.kolada.se/v3",
    fetches="De kurerade kärnindikatorerna (jamlik/catalog/data/core_indicators.csv) med "
            "osäkerhetstal där de finns, för länets kommuner, länet och riket, 2010–i år.",
    licence="CC BY 4.0 – \"Källa: Kolada (RKA)\"",
    cadence="löpande; de flesta nyckeltal en gång om året (publiceringsdatum per nyckeltal i "
            "sync_kolada_kpis)",
    verified="anrop och sidindelning mot Kolada v3:s dokumenterade form; värden mot en "
             "riktig dump av API:t (open-numbers DDF, augusti 2024)")

#: Sources a municipality asks for that jamlik cannot yet fetch honestly with one command.
_NOT_SHIPPED = (
    SourceEntry(
        id="fohm-nationella-folkhalsoenkaten", title_sv="Nationella folkhälsoenkäten "
        "(Folkhälsodata)", provider="Folkhälsomyndigheten", kind="pxweb",
        base_url="https://fohm-app.folkhalsomyndigheten.se/Folkhalsodata/api/v1/sv/"
                 "A_Folkhalsodata",
        fetches="Andelar med 95 % konfidensintervall per län/kommungrupp, 4-årsperioder.",
        licence="CC BY 4.0 (Folkhälsomyndigheten)", cadence="årligen",
        verified="inget riktigt svar hittat",
        reason_sv="tabellernas variabel- och värdekoder är inte verifierade mot ett riktigt "
                  "svar; kör `jamlik sync pxweb --describe` och en egen mappning"),
    SourceEntry(
        id="fohm-skolbarns-halsovanor", title_sv="Skolbarns hälsovanor (Folkhälsodata)",
        provider="Folkhälsomyndigheten", kind="pxweb",
        base_url="https://fohm-app.folkhalsomyndigheten.se/Folkhalsodata/api/v1/sv/"
                 "A_Folkhalsodata",
        fetches="Andelar 11-, 13- och 15-åringar, nationellt.", licence="CC BY 4.0",
        cadence="vart fjärde år", verified="inget riktigt svar hittat",
        reason_sv="bara riksnivå, koderna inte verifierade mot ett riktigt svar"),
    SourceEntry(
        id="socialstyrelsen-dodsorsaker", title_sv="Dödsorsaker (Socialstyrelsen)",
        provider="Socialstyrelsen", kind="pxweb",
        fetches="Döda per dödsorsak, kön, ålder och region.", licence="se Socialstyrelsen",
        cadence="årligen", verified="inget",
        reason_sv="Socialstyrelsens statistikdatabas har inget PxWeb-API som jamlik har "
                  "provat; hämta en fil och använd `jamlik import`"),
)


def _preset_files() -> list[str]:
    folder = resources.files("jamlik.sources.presets")
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".toml"))


def _read_preset(name: str) -> dict[str, Any]:
    text = resources.files("jamlik.sources.presets").joinpath(name).read_text(encoding="utf-8")
    return parse_toml(text, f"jamlik/sources/presets/{name}")


def catalogue() -> list[SourceEntry]:
    """Every catalogue entry: Kolada, the shipped PxWeb presets, then the unshipped ones."""
    entries = [_KOLADA_CORE]
    for name in _preset_files():
        about = _read_preset(name).get("about", {})
        entries.append(SourceEntry(
            id=str(about["id"]), title_sv=str(about["title_sv"]),
            provider=str(about["provider"]), kind="pxweb", fetches=str(about["fetches"]),
            licence=str(about["licence"]), cadence=str(about["cadence"]),
            verified=str(about["verified"]), base_url=str(about["base_url"]),
            table=str(about["table"]), preset_file=name))
    return entries + list(_NOT_SHIPPED)


def source(entry_id: str) -> SourceEntry:
    for entry in catalogue():
        if entry.id == entry_id:
            return entry
    known = ", ".join(e.id for e in catalogue())
    raise SyncError(f"okänd källa {entry_id!r} – finns: {known}.")


#: Presets a user runs with one command: `jamlik sync preset NAME --county 20`.
BUNDLES: dict[str, tuple[str, ...]] = {
    "folkhalsa": ("kolada-core", "scb-folkmangd-kon", "scb-folkmangd-totalt",
                  "scb-folkmangd-2025"),
    "folkmangd-manad": ("scb-folkmangd-manad",),
}


def preset_mapping(store: Store, entry: SourceEntry, county: str) -> PxMapping:
    """The entry's shipped mapping with ``@county_areas`` replaced by the county's areas."""
    if entry.preset_file is None:
        raise SyncError(f"{entry.id}: ingen mappning levereras – {entry.reason_sv}.")
    raw = _read_preset(entry.preset_file)
    raw.pop("about", None)
    areas = [("00" if code == store.nation_code() else code)
             for code in preset_areas(store, county)]
    raw["query"] = {var: ([*areas] if codes == [COUNTY_AREAS] else codes)
                    for var, codes in raw.get("query", {}).items()}
    return mapping_from_dict(raw, where=f"förinställningen {entry.id}")


def sync_preset(store: Store, name: str, county: str, *, http: HttpClient,
                years: list[int] | None = None, progress: ProgressFn | None = None,
                on_step: Callable[[SourceEntry], None] | None = None,
                base_urls: dict[str, str] | None = None) -> list[SyncSummary]:
    """Run every source of a bundle for a county; each step is its own resumable sync.

    ``base_urls`` ({entry id: URL}) points a step at another server (a mirror, a test).
    """
    base_urls = base_urls or {}
    if name not in BUNDLES:
        raise SyncError(f"okänd förinställning {name!r} – finns: {', '.join(BUNDLES)}.")
    summaries = []
    for entry_id in BUNDLES[name]:
        entry = source(entry_id)
        if on_step:
            on_step(entry)
        if entry.kind == "kolada":
            summaries.append(sync_kolada(
                store, core_kpis(store), preset_areas(store, county),
                years or list(range(2010, date.today().year + 1)), http=http,
                progress=progress, skip_unknown=True,
                base_url=base_urls.get(entry.id, entry.base_url or "")))
        else:
            assert entry.base_url and entry.table
            summaries.append(sync_pxweb(store, base_urls.get(entry.id, entry.base_url),
                                        entry.table,
                                        preset_mapping(store, entry, county), http=http,
                                        progress=progress))
    return summaries


__all__ = ["ATTRIBUTION", "BUNDLES", "COUNTY_AREAS", "SourceEntry", "catalogue", "preset_mapping", "source",
           "sync_preset"]
