"""Reference catalogues shipped with jamlik, and the bundled real sample.

- areas: the nation, 21 counties/regions and 290 municipalities (SCB and Kolada codes);
- area groups: SKR's municipality groups 2023, RKA's "Liknande kommuner" (12 themes), county sets;
- the 8 national public-health target areas (målområden, plus 0 = health outcomes), the 17 SDGs
  and the targets the catalogue uses, the themes of the Dalarna Samling;
- indicators: the curated core equity indicators with polarity and målområde, the 64 sample KPIs,
  and composite indicators built from several source KPIs.
Built from ../shared by scripts/build_catalog.py; nothing here reads ../shared.
"""

from __future__ import annotations

import functools
from datetime import datetime
from importlib import resources
from pathlib import Path

import pandas as pd

from jamlik.store import (
    Component,
    DataKind,
    Indicator,
    MeasureType,
    Polarity,
    Store,
    UpsertResult,
)

KOLADA_ATTRIBUTION = "Källa: Kolada (RKA), CC BY 4.0"
SCB_ATTRIBUTION = "Källa: SCB, CC0"
SAMPLE_SOURCE = "Kolada (RKA)"
#: The sample was scraped from the Kolada API in August 2024 (open-numbers/ddf--kolada--dump).
SAMPLE_RETRIEVED_AT = datetime(2024, 8, 30)
#: SCB's exports of deaths and mean population (scripts/data/scb_mortality/README.md).
MORTALITY_SOURCE = "SCB"
MORTALITY_RETRIEVED_AT = datetime(2021, 3, 4)
DEFAULT_COUNTY = "20"  # Dalarnas län


def _data(name: str) -> Path:
    return Path(str(resources.files("jamlik.catalog") / "data" / name))


#: Theme of the population series that only serve as denominators (left out of profiles).
DENOMINATOR_THEME = "denominator"


def sample_path() -> Path:
    return Path(str(resources.files("jamlik") / "data" / "sample" / "kolada_sample.parquet"))


def denominators_path() -> Path:
    """Kolada's population by age band and sex (N01952–N01957), the bases of derived limits."""
    return Path(str(resources.files("jamlik") / "data" / "sample" /
                    "kolada_denominators.parquet"))


def mortality_path() -> Path:
    """SCB's deaths and mean population by single year of age and sex, Riket 2006–2020
    (SCB_DODA, SCB_MEDELFOLKMANGD), the inputs of ``jamlik.analysis.life_expectancy_for``."""
    return Path(str(resources.files("jamlik") / "data" / "sample" / "scb_mortality.parquet"))


@functools.lru_cache(maxsize=32)
def _read_once(name: str) -> pd.DataFrame:
    return pd.read_csv(_data(name), dtype=str, keep_default_na=False)


def _read(name: str) -> pd.DataFrame:
    """The shipped CSV file (read once per process; a copy, so callers may change it)."""
    return _read_once(name).copy()


def areas() -> pd.DataFrame:
    """All areas: code, name, region_name, type, parent, kolada_code."""
    return _read("areas.csv")


def municipalities(county: str | None = None) -> pd.DataFrame:
    df = areas()
    df = df[df["type"] == "municipality"]
    if county is not None:
        df = df[df["parent"] == county.removeprefix("00").zfill(2)]
    return df.reset_index(drop=True)


def counties() -> pd.DataFrame:
    df = areas()
    return df[df["type"] == "county"].reset_index(drop=True)


def target_areas() -> pd.DataFrame:
    df = _read("target_areas.csv")
    df["id"] = df["id"].astype(int)
    return df


def sdg_goals() -> pd.DataFrame:
    df = _read("sdg_goals.csv")
    df["goal"] = df["goal"].astype(int)
    return df


def sdg_targets() -> pd.DataFrame:
    return _read("sdg_targets.csv")


def samling_themes() -> pd.DataFrame:
    """Themes (and, where confirmed, action areas) of Samling för social hållbarhet i Dalarna."""
    return _read("samling_dalarna.csv")


def core_indicators() -> pd.DataFrame:
    """The curated core equity indicators as compiled (see docs/ARCHITECTURE.md)."""
    return _read("core_indicators.csv")


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(";") if p.strip())


def catalogue_indicators() -> list[Indicator]:
    """Every indicator the catalogue defines, composites included."""
    out: list[Indicator] = []
    for r in _read("indicators.csv").to_dict("records"):
        out.append(Indicator(
            id=r["id"], title_sv=r["title_sv"], title_en=r["title_en"] or None,
            description=r["description"] or None, unit=r["unit"] or None,
            measure_type=MeasureType(r["measure_type"]), multiplier=float(r["multiplier"]),
            polarity=Polarity(r["polarity"]), data_kind=DataKind(r["data_kind"]),
            source=r["source"] or None, period_span=int(r["period_span"]),
            by_sex=r["by_sex"] == "True", margin_indicator=r["margin_indicator"] or None,
            denominator_indicator=r["denominator_indicator"] or None,
            no_limits_reason=r["no_limits_reason"] or None,
            target_areas=tuple(int(t) for t in _split(r["target_areas"])),
            sdg_targets=_split(r["sdg_targets"]),
            themes=(("core",) if r["core"] == "True" else ())
            + ((DENOMINATOR_THEME,) if r["role"] == "denominator" else ()),
            attribution=SCB_ATTRIBUTION if r["id"].startswith("SCB_") else KOLADA_ATTRIBUTION,
        ))
    components = _read("composite_components.csv")
    for r in _read("composites.csv").to_dict("records"):
        comps = components[components["indicator"] == r["id"]]
        out.append(Indicator(
            id=r["id"], title_sv=r["title_sv"], title_en=r["title_en"],
            description=r["description"], unit=r["unit"],
            measure_type=MeasureType(r["measure_type"]), polarity=Polarity(r["polarity"]),
            data_kind=DataKind(r["data_kind"]), period_span=int(r["period_span"]),
            by_sex=bool((comps["dimension"] == "sex").any()),
            multiplier=100.0 if r["measure_type"] == "proportion" else 1.0,
            target_areas=tuple(int(t) for t in _split(r["target_areas"])),
            sdg_targets=_split(r["sdg_targets"]), themes=("core", "composite"),
            components=tuple(
                Component(c["source_kpi"], c["dimension"], c["category"])
                for c in comps.to_dict("records")
            ),
            attribution=KOLADA_ATTRIBUTION,
        ))
    return out


def load_catalog(store: Store) -> dict[str, int]:
    """Load (or refresh) every catalogue into the store in one transaction."""
    area_df = areas()
    groups = _read("area_groups.csv")
    members = pd.read_csv(_data("area_group_members.csv.gz"), dtype=str)
    groups["year"] = pd.to_numeric(groups["year"], errors="coerce").astype("Int64")
    for col in ("theme", "owner_area"):
        groups[col] = groups[col].replace("", None)
    with store.transaction():
        from jamlik.store import Area, AreaType

        store.upsert_areas(
            Area(r["code"], r["name"], AreaType(r["type"]), r["parent"] or None,
                 r["kolada_code"])
            for r in area_df.to_dict("records")
        )
        store.replace_area_groups(groups, members)
        store.replace_target_areas(target_areas().itertuples(index=False))
        store.replace_sdg_goals(sdg_goals().itertuples(index=False))
        store.replace_sdg_targets(
            (c, int(g), t) for c, g, t in sdg_targets().itertuples(index=False))
        store.replace_themes(
            ("samling_theme", "samling_action_area"),
            [(r["id"], "samling_" + r["kind"], r["parent"] or None, int(r["number"]),
              r["title_sv"], None) for r in samling_themes().to_dict("records")],
        )
        n_ind = store.upsert_indicators(catalogue_indicators())
    return {"areas": len(area_df), "area_groups": len(groups), "indicators": n_ind}


def load_sample(store: Store) -> UpsertResult:
    """Load the catalogue and the bundled real Kolada sample (64 KPIs, all areas), with the
    population series by age band and sex that derived limits use as denominators, and SCB's
    deaths and mean population by age and sex for Riket (life expectancy from the store)."""
    with store.transaction():
        load_catalog(store)
        frame = pd.concat([pd.read_parquet(sample_path()), pd.read_parquet(denominators_path())],
                          ignore_index=True)
        frame["source"] = SAMPLE_SOURCE
        frame["retrieved_at"] = SAMPLE_RETRIEVED_AT
        mortality = pd.read_parquet(mortality_path())
        mortality["source"] = MORTALITY_SOURCE
        mortality["retrieved_at"] = MORTALITY_RETRIEVED_AT
        result = store.upsert_observations(pd.concat([frame, mortality], ignore_index=True))
        store.refresh_composites()
    return result
