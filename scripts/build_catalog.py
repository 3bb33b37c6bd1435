"""Build the shipped catalogues and the bundled sample from ../shared (developer tool).

Run once when the shared data changes:  python scripts/build_catalog.py ../shared
The project never reads ../shared at run or test time; it reads what this script writes into
jamlik/catalog/data/ and jamlik/data/sample/.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "jamlik" / "catalog" / "data"
SAMPLE = ROOT / "jamlik" / "data" / "sample"
sys.path.insert(0, str(ROOT))
from jamlik.store.model import described_period_span  # noqa: E402

# HLV-based KPIs (Nationella folkhälsoenkäten): 4-year moving averages T-3..T (ddf dump README).
SURVEY_4Y = {
    "N01452", "N01458", "N01460", "N01464", "U01402", "U01404", "U01405", "U01411", "U01413",
    "U01420", "U01429", "U01435", "U01471", "U01472", "U01473", "U01760", "U60423",
}
LIFE_EXPECTANCY_5Y = {"N00923", "N00925"}

# Osäkerhetstal KPIs for sample survey KPIs the core catalogue does not link (titles
# "Osäkerhetstal - <same title>" in shared/data/rkolada_metadata/kolada_kpi_catalogue.csv).
MARGIN_SUPPLEMENT = {"U01471": "U01571", "U01472": "U01572", "U01760": "U01560"}

# Kolada population KPIs by sex that the sample ships as denominators (sums give age bands).
POP_TOTAL, POP_0_19, POP_20_64, POP_65 = "N01951", "N01952+N01953+N01954", "N01955", "N01956+N01957"
# SCB's deaths and mean population by single year of age (scripts/build_scb_mortality.py), the
# inputs of jamlik.analysis.life_expectancy_for; catalogued like the denominators (not profiled).
SCB_MORTALITY_SERIES = {
    "SCB_DODA": ("Döda, antal", "Antal döda under året efter ålder (uppnådd under året) och kön. "
                 "Källa: SCB (BE0101D9)."),
    "SCB_MEDELFOLKMANGD": ("Medelfolkmängd, antal", "Medelfolkmängden under året efter ålder "
                           "(uppnådd under året) och kön. Källa: SCB (BE0101A5)."),
}
DENOMINATOR_KPIS = ("N01952", "N01953", "N01954", "N01955", "N01956", "N01957")

# The population series that is each KPI's base (the Kolada description's denominator).
# Numerator = value × base / multiplier gives Wilson (shares) or Poisson (rates) limits that the
# analysis marks as derived. Only register KPIs whose denominator is exactly that population.
DENOMINATORS = {
    "N00914": POP_20_64,   # förvärvsarbetande 20-64 / invånare 20-64
    "N01717": POP_TOTAL,   # 65+ ensamboende / totala befolkningen
    "N01960": POP_TOTAL,   # invånare 65+ / invånare totalt
    "N01994": POP_TOTAL,   # invånare 0-19 / invånare totalt
    "N02267": POP_20_64,   # sysselsatta 20-64 / invånare 20-64
    "N02901": POP_0_19,    # 0-19 med lågutbildade föräldrar / invånare 0-19
    "N02903": POP_0_19,    # 0-19 med förälder med sjuk-/aktivitetsersättning / invånare 0-19
    "N02926": POP_TOTAL,   # utrikes födda / invånare 31/12
    "N07403": POP_TOTAL,   # anmälda våldsbrott / invånare × 100 000
    "N31807": POP_TOTAL,   # invånare med ekonomiskt bistånd / invånare 31/12
    "N66077": POP_0_19,    # 0-19 med låg ekonomisk standard
    "N66078": POP_20_64,   # 20-64 med låg ekonomisk standard
    "N66079": POP_65,      # 65+ med låg ekonomisk standard
}

_AGE_STANDARDISED = ("åldersstandardiserat: gränser kräver antal och befolkning per åldersgrupp "
                     "(Dobsons metod), som Kolada inte publicerar")
_NO_BAND = "underlaget ({band}) finns inte som befolkningsserie i Kolada"
# Why the other sample KPIs get no limits (shown where they are not significance-tested).
NO_LIMITS_REASONS = {
    "N00905": "en median (kronor); ingen täljare och nämnare att räkna osäkerhet ur",
    "N00906": "en median (kronor); ingen täljare och nämnare att räkna osäkerhet ur",
    "N00923": "medellivslängd kräver dödsfall och befolkning per åldersgrupp, som inte finns här",
    "N00925": "medellivslängd kräver dödsfall och befolkning per åldersgrupp, som inte finns här",
    "N00938": "dagar per försäkrad: dagarna är inte oberoende händelser, ingen ärlig nämnare",
    "N00943": "andel av dagar: dagarna är inte oberoende händelser, ingen ärlig nämnare",
    "N00945": "andel av dagar: dagarna är inte oberoende händelser, ingen ärlig nämnare",
    "N00952": "en kvot mellan två medianer; ingen täljare och nämnare",
    "N00957": "dagar per invånare: dagarna är inte oberoende händelser, ingen ärlig nämnare",
    "N00959": "ett medelvärde (år) utan publicerad spridning",
    "N00997": "ett index (Gini) utan publicerad osäkerhet",
    "N01451": _AGE_STANDARDISED,
    "N01454": _AGE_STANDARDISED,
    "N01455": _AGE_STANDARDISED,
    "N60920": _AGE_STANDARDISED,
    "N01481": _NO_BAND.format(band="2-åringar"),
    "N01951": "en totalräkning av befolkningen, ingen skattning",
    "N01982": _NO_BAND.format(band="invånare 25–64 år"),
    "N01984": _NO_BAND.format(band="invånare 25–64 år"),
    "N02268": _NO_BAND.format(band="utrikes födda 20–64 år"),
    "N02797": _NO_BAND.format(band="invånare 16–24 år"),
    "N03920": _NO_BAND.format(band="invånare 18–65 år"),
    "N03921": _NO_BAND.format(band="invånare 16–24 år"),
    "N03926": _NO_BAND.format(band="invånare 25–65 år"),
    "N05400": _NO_BAND.format(band="röstberättigade"),
    "N05401": _NO_BAND.format(band="röstberättigade"),
    "N07907": _NO_BAND.format(band="boende i flerbostadshus"),
    "N15428": _NO_BAND.format(band="elever i åk 9"),
    "N15507": "ett medelvärde (meritvärde) utan publicerad spridning",
    "N15508": _NO_BAND.format(band="elever i åk 9"),
    "N17461": _NO_BAND.format(band="gymnasieelever som började 4 år tidigare"),
    "N31816": _NO_BAND.format(band="invånare 18+"),
    "N74811": _NO_BAND.format(band="långtidssjukskrivna"),
    "U01803": _NO_BAND.format(band="invånare 18–64 år"),
    "U60423": "enkätdata utan känt osäkerhetstal i Kolada",
}

# Polarity for sample KPIs that are not in shared/catalog/core_indicators.csv (curated here,
# reason after the colon, as in the core catalogue).
SUPPLEMENT = {
    "N00906": ("higher is better: higher median earned income 20-64", [4], "10.1"),
    "N00914": ("higher is better: more residents 20-64 in gainful employment", [3], "8.5"),
    "N00943": ("higher is better: fathers take a larger share of parental-leave days (far below parity)", [1], "5.4"),
    "N00945": ("higher is better: fathers take a larger share of temporary parental-leave days", [1], "5.4"),
    "N00959": ("no judgement: context (age structure)", [], ""),
    "N01717": ("no judgement: context/need (older people living alone)", [], ""),
    "N01951": ("no judgement: context (population size)", [], ""),
    "N01960": ("no judgement: context (age structure)", [], ""),
    "N01994": ("no judgement: context (age structure)", [], ""),
    "N02926": ("no judgement: context (population composition)", [], ""),
    "N03920": ("lower is better: less unemployment 18-65", [3], "8.5"),
    "N03921": ("lower is better: less youth unemployment 16-24", [3], "8.6"),
    "N05401": ("higher is better: higher turnout in the municipal election", [7], "16.7"),
    "N66078": ("lower is better: fewer adults 20-64 with low economic standard", [4], "1.2"),
    "N74811": ("lower is better: fewer long-term sick-listed with psychiatric diagnoses", [0], "3.4"),
    "U01471": ("lower is better: fewer people feeling stressed", [0], "3.4"),
    "U01472": ("lower is better: fewer people troubled by worry or anxiety", [0], "3.4"),
    "U01760": ("lower is better: less overweight or obesity", [6], "3.4"),
    "U01803": ("lower is better: fewer adults 18-64 with low income", [4], "1.2"),
    "U60423": ("lower is better: fewer people with low social participation", [7], "10.2"),
}

COMPOSITES = [
    {
        "id": "medellivslangd",
        "title_sv": "Medellivslängd, år (kvinnor och män)",
        "title_en": "Life expectancy at birth, years (women and men)",
        "unit": "år",
        "measure_type": "years",
        "polarity": "higher_is_better",
        "data_kind": "register",
        "period_span": 5,
        "target_areas": "0",
        "sdg_targets": "3.4",
        "components": [("N00925", "sex", "K"), ("N00923", "sex", "M")],
        "description": "Kolada publicerar medellivslängden som två nyckeltal, N00925 (kvinnor) och "
        "N00923 (män). jamlik visar dem som en indikator uppdelad på kön. Skattningen avser en "
        "femårsperiod (T-4..T) och redovisas under periodens sista år. Källa: SCB via Kolada (RKA).",
    },
    {
        "id": "valdeltagande_inkomst",
        "title_sv": "Valdeltagande i kommunfullmäktigevalet efter inkomstkvintil, andel (%)",
        "title_en": "Turnout in the municipal election by income quintile, per cent",
        "unit": "%",
        "measure_type": "proportion",
        "polarity": "higher_is_better",
        "data_kind": "register",
        "period_span": 1,
        "target_areas": "7",
        "sdg_targets": "10.2;16.7",
        "components": [(f"N6587{i}", "income_quintile", str(i + 1)) for i in range(5)],
        "description": "Kolada publicerar valdeltagandet per inkomstkvintil som fem nyckeltal "
        "(N65870–N65874, kvintil 1 = lägst inkomst). jamlik visar dem som en indikator uppdelad på "
        "inkomstkvintil. Källa: Valmyndigheten och SCB via Kolada (RKA).",
    },
]

TARGET_AREAS = [
    (0, "Hälsoutfall", "Health outcomes"),
    (1, "Det tidiga livets villkor", "Conditions in early life"),
    (2, "Kunskaper, kompetenser och utbildning", "Knowledge, skills and education"),
    (3, "Arbete, arbetsförhållanden och arbetsmiljö", "Work, working conditions and work environment"),
    (4, "Inkomster och försörjningsmöjligheter", "Income and livelihood"),
    (5, "Boende och närmiljö", "Housing and local environment"),
    (6, "Levnadsvanor", "Living habits"),
    (7, "Kontroll, inflytande och delaktighet", "Control, influence and participation"),
    (8, "En jämlik och hälsofrämjande hälso- och sjukvård",
     "Equitable and health-promoting health care"),
]

SDG_GOALS = [
    (1, "Ingen fattigdom", "No poverty"),
    (2, "Ingen hunger", "Zero hunger"),
    (3, "Hälsa och välbefinnande", "Good health and well-being"),
    (4, "God utbildning för alla", "Quality education"),
    (5, "Jämställdhet", "Gender equality"),
    (6, "Rent vatten och sanitet för alla", "Clean water and sanitation"),
    (7, "Hållbar energi för alla", "Affordable and clean energy"),
    (8, "Anständiga arbetsvillkor och ekonomisk tillväxt", "Decent work and economic growth"),
    (9, "Hållbar industri, innovationer och infrastruktur",
     "Industry, innovation and infrastructure"),
    (10, "Minskad ojämlikhet", "Reduced inequalities"),
    (11, "Hållbara städer och samhällen", "Sustainable cities and communities"),
    (12, "Hållbar konsumtion och produktion", "Responsible consumption and production"),
    (13, "Bekämpa klimatförändringarna", "Climate action"),
    (14, "Hav och marina resurser", "Life below water"),
    (15, "Ekosystem och biologisk mångfald", "Life on land"),
    (16, "Fredliga och inkluderande samhällen", "Peace, justice and strong institutions"),
    (17, "Genomförande och globalt partnerskap", "Partnerships for the goals"),
]

# Short Swedish summaries (jamlik's own wording) of the Agenda 2030 targets the catalogue uses.
SDG_TARGETS = {
    "1.2": "Minska fattigdomen i alla dess former med minst hälften",
    "1.3": "Sociala trygghetssystem för alla",
    "3.4": "Minska förtida dödlighet i icke-smittsamma sjukdomar och främja psykisk hälsa",
    "3.5": "Stärk förebyggande och behandling av missbruk, inklusive alkohol",
    "3.8": "Hälso- och sjukvård för alla",
    "3.9": "Minska sjukdomar och dödsfall av farliga kemikalier och föroreningar",
    "3.a": "Genomför tobakskonventionen",
    "3.b": "Vacciner och läkemedel för alla",
    "3.d": "Stärk beredskapen mot globala hälsorisker",
    "4.1": "Avgiftsfri grund- och gymnasieutbildning av god kvalitet",
    "4.2": "Lika tillgång till förskola av god kvalitet",
    "4.3": "Lika tillgång till yrkesutbildning och högre utbildning",
    "4.6": "Alla ungdomar och vuxna ska kunna läsa, skriva och räkna",
    "4.a": "Trygga och inkluderande lärmiljöer",
    "4.c": "Fler behöriga lärare",
    "5.1": "Avskaffa diskriminering av kvinnor och flickor",
    "5.4": "Värdesätt obetalt omsorgsarbete och främja delat ansvar i hemmet",
    "8.5": "Full sysselsättning och anständiga arbetsvillkor med lika lön för alla",
    "8.6": "Minska andelen unga som varken arbetar eller studerar",
    "8.8": "Skydda arbetstagares rättigheter och trygga arbetsmiljöer",
    "10.1": "Inkomstökning för de fattigaste 40 procenten",
    "10.2": "Främja social, ekonomisk och politisk inkludering",
    "10.3": "Lika möjligheter och avskaffa diskriminering",
    "11.1": "Säkra bostäder till rimliga priser för alla",
    "11.2": "Hållbara transportsystem för alla",
    "11.7": "Säkra och inkluderande grönområden och offentliga platser",
    "16.1": "Minska våld överallt",
    "16.7": "Inkluderande och representativt beslutsfattande",
}


def measure_of(title: str) -> tuple[str, float]:
    t = title.lower()
    if "/100 000" in t:
        return "rate", 100_000.0
    if "%" in t or "andel" in t:
        return "proportion", 100.0
    if "medellivslängd" in t or "medelålder" in t:
        return "years", 1.0
    if "index" in t or "gini" in t:
        return "index", 1.0
    if ", kr" in t or "kr/" in t or "inkomst" in t:
        return "currency", 1.0
    if "antal" in t:
        return "count", 1.0
    return "mean", 1.0


def unit_of(title: str) -> str:
    parts = [p.strip() for p in title.split(",")]
    return parts[-1] if len(parts) > 1 else ""


def build(shared: Path) -> None:
    CATALOG.mkdir(parents=True, exist_ok=True)
    SAMPLE.mkdir(parents=True, exist_ok=True)
    cat = shared / "catalog"
    ddf = shared / "data" / "kolada_ddf_dump"
    meta = shared / "data" / "rkolada_metadata"

    # -- areas -------------------------------------------------------------------------------
    kommuner = pd.read_csv(cat / "kommuner_lan_kommungrupp.csv", dtype=str)
    counties = kommuner[["lanskod", "lan"]].drop_duplicates().sort_values("lanskod")
    regions = pd.read_csv(ddf / "ddf--entities--geo--region.csv", dtype=str)
    region_name = dict(zip(regions["region"], regions["name"], strict=True))
    rows = [("0000", "Riket", "Sweden", "nation", "", "0000")]
    for code, lan in counties.itertuples(index=False):
        rows.append((code, lan, region_name.get(code, ""), "county", "0000", "00" + code))
    for r in kommuner.itertuples(index=False):
        rows.append((r.kommunkod, r.kommun, "", "municipality", r.lanskod, r.kommunkod))
    areas = pd.DataFrame(rows, columns=["code", "name", "region_name", "type", "parent",
                                        "kolada_code"])
    areas.to_csv(CATALOG / "areas.csv", index=False)

    # -- area groups -------------------------------------------------------------------------
    groups, members = [], []
    skr = kommuner.groupby(["kolada_group_id", "skr_gruppkod", "skr_kommungrupp"])
    for (gid, code, name), part in skr:
        groups.append((gid, f"{code} {name}", "skr_group", code, "", 2023,
                       "SKR kommungruppsindelning 2023 via Kolada"))
        members += [(gid, k) for k in part["kommunkod"]]
    similar = pd.read_csv(cat / "liknande_kommuner.csv", dtype=str)
    for (gid, kod, kommun, tema, ar), part in similar.groupby(
        ["kolada_group_id", "kommunkod", "kommun", "tema", "ar"]
    ):
        groups.append((gid, f"Liknande kommuner {tema}, {kommun}, {ar}", "similar", tema, kod,
                       int(ar), "RKA via Kolada"))
        members += [(gid, k) for k in part["liknande_kommunkod"]]
    for code, lan in counties.itertuples(index=False):
        gid = f"lan-{code}"
        groups.append((gid, f"{lan}s kommuner", "county", "", code, None, "jamlik"))
        members += [(gid, k) for k in kommuner.loc[kommuner["lanskod"] == code, "kommunkod"]]
    pd.DataFrame(groups, columns=["id", "title", "kind", "theme", "owner_area", "year",
                                  "source"]).to_csv(CATALOG / "area_groups.csv", index=False)
    pd.DataFrame(members, columns=["group_id", "area_code"]).to_csv(
        CATALOG / "area_group_members.csv.gz", index=False,
        compression={"method": "gzip", "mtime": 0})

    # -- reference vocabularies ----------------------------------------------------------------
    pd.DataFrame(TARGET_AREAS, columns=["id", "title_sv", "title_en"]).to_csv(
        CATALOG / "target_areas.csv", index=False)
    pd.DataFrame(SDG_GOALS, columns=["goal", "title_sv", "title_en"]).to_csv(
        CATALOG / "sdg_goals.csv", index=False)
    pd.DataFrame(
        [(k, int(k.split(".")[0]), v) for k, v in SDG_TARGETS.items()],
        columns=["code", "goal", "title_sv"],
    ).to_csv(CATALOG / "sdg_targets.csv", index=False)

    # -- indicators ----------------------------------------------------------------------------
    core = pd.read_csv(cat / "core_indicators.csv", dtype=str).fillna("")
    core.to_csv(CATALOG / "core_indicators.csv", index=False)
    concepts = pd.read_csv(ddf / "ddf--concepts.csv", dtype=str).fillna("")
    concepts["id"] = concepts["concept"].str.upper()
    concepts = concepts.set_index("id")
    kcat = pd.read_csv(meta / "kolada_kpi_catalogue.csv", dtype=str).fillna("").set_index("id")
    sample_ids = sorted(
        p.name.split("--")[2].upper()
        for p in (ddf / "datapoints--by--geo--year").glob("*.csv")
    )
    core_ids = [i for i in core["kolada_id"] if i]
    out = []
    for kpi in sorted(set(sample_ids) | set(core_ids)):
        c = core[core["kolada_id"] == kpi]
        in_sample = kpi in sample_ids
        if in_sample and kpi in concepts.index:
            title = concepts.at[kpi, "name"]
            description = concepts.at[kpi, "description"]
            by_sex = concepts.at[kpi, "is_divided_by_gender"].lower() in ("true", "1")
        elif kpi in kcat.index:
            title = kcat.at[kpi, "title"]
            description = kcat.at[kpi, "description"]
            by_sex = kcat.at[kpi, "is_divided_by_gender"] == "true"
        else:
            title, description, by_sex = c["title_sv"].iloc[0], "", False
        if not c.empty:
            r = c.iloc[0]
            polarity, tas, sdg, data_kind = r["polarity"], r["malomrade"], r["sdg_target"], r["data_kind"]
            m = re.search(r"Osäkerhetstal\)?:?\s*([NU]\d{5})", r["source_note"])
            margin = m.group(1) if m else ""
            unit = r["unit"]
            core_flag = True
        else:
            polarity, ta_list, sdg = SUPPLEMENT[kpi]
            tas = ";".join(str(t) for t in ta_list)
            data_kind = "survey" if kpi in SURVEY_4Y else "register"
            margin, unit, core_flag = "", unit_of(title), False
        source = ""
        sm = re.search(r"Källa:\s*(.+?)\.?\s*$", description)
        if sm:
            source = sm.group(1).strip()
        measure, multiplier = measure_of(title)
        if not margin:
            margin = MARGIN_SUPPLEMENT.get(kpi, "")
        # The span a description names wins; the HLV and life-expectancy sets cover KPIs whose
        # Kolada description does not say it (ddf dump README).
        span = max(4 if kpi in SURVEY_4Y else 5 if kpi in LIFE_EXPECTANCY_5Y else 1,
                   described_period_span(title, description) or 1)
        out.append({
            "id": kpi, "title_sv": title, "title_en": "", "description": description,
            "unit": unit, "measure_type": measure, "multiplier": multiplier,
            "polarity": polarity.split(":")[0].strip().replace(" ", "_"),
            "polarity_reason": polarity.split(":", 1)[1].strip() if ":" in polarity else "",
            "data_kind": data_kind, "source": source, "period_span": span,
            "by_sex": by_sex, "margin_indicator": margin,
            "denominator_indicator": DENOMINATORS.get(kpi, ""),
            "no_limits_reason": NO_LIMITS_REASONS.get(kpi, ""), "target_areas": tas,
            "sdg_targets": sdg, "core": core_flag, "in_sample": in_sample,
        })
    for kpi in DENOMINATOR_KPIS:  # the population series behind derived limits
        title = concepts.at[kpi, "name"]
        out.append({
            "id": kpi, "title_sv": title, "title_en": "",
            "description": concepts.at[kpi, "description"], "unit": "antal",
            "measure_type": "count", "multiplier": 1.0, "polarity": "no_judgement",
            "polarity_reason": "denominator: population by age band", "data_kind": "register",
            "source": "SCB", "period_span": 1, "by_sex": True, "margin_indicator": "",
            "denominator_indicator": "",
            "no_limits_reason": NO_LIMITS_REASONS["N01951"], "target_areas": "",
            "sdg_targets": "", "core": False, "in_sample": True, "role": "denominator",
        })
    for kpi, (title, description) in SCB_MORTALITY_SERIES.items():  # life expectancy's inputs
        out.append({
            "id": kpi, "title_sv": title, "title_en": "", "description": description,
            "unit": "antal", "measure_type": "count", "multiplier": 1.0,
            "polarity": "no_judgement", "polarity_reason": "input to life expectancy",
            "data_kind": "register", "source": "SCB", "period_span": 1, "by_sex": True,
            "margin_indicator": "", "denominator_indicator": "",
            "no_limits_reason": NO_LIMITS_REASONS["N01951"], "target_areas": "",
            "sdg_targets": "", "core": False, "in_sample": True, "role": "denominator",
        })
    frame = pd.DataFrame(out)
    frame["role"] = frame["role"].fillna("")
    frame.to_csv(CATALOG / "indicators.csv", index=False, quoting=csv.QUOTE_MINIMAL)
    # A copy of every KPI description in the dump, for the period_span test (tests never read
    # ../shared).
    measures = concepts[concepts["concept_type"] == "measure"]
    pd.DataFrame({"id": measures.index.to_numpy(), "title": measures["name"].to_numpy(),
                  "description": measures["description"].to_numpy()}).sort_values("id").to_csv(
        ROOT / "tests" / "catalog" / "data" / "kolada_kpi_descriptions.csv.gz", index=False,
        compression={"method": "gzip", "mtime": 0})
    comp_rows = []
    for comp in COMPOSITES:
        for kpi, dim, category in comp["components"]:
            comp_rows.append((comp["id"], kpi, dim, category))
    pd.DataFrame([{k: v for k, v in c.items() if k != "components"} for c in COMPOSITES]).to_csv(
        CATALOG / "composites.csv", index=False)
    pd.DataFrame(comp_rows, columns=["indicator", "source_kpi", "dimension", "category"]).to_csv(
        CATALOG / "composite_components.csv", index=False)

    # -- sample observations -------------------------------------------------------------------
    span = {r["id"]: r["period_span"] for r in out}
    frames = []
    for path in sorted((ddf / "datapoints--by--geo--year").glob("*.csv")):
        kpi = path.name.split("--")[2].upper()
        df = pd.read_csv(path, dtype={"geo": str})
        df = df.rename(columns={kpi.lower(): "value", "year": "period", "geo": "area"})
        df["sex"] = "T"
        df["indicator"] = kpi
        frames.append(df)
        gpath = ddf / "datapoints--by--geo--gender--year" / path.name.replace(
            "--by--geo--year", "--by--geo--gender--year")
        if gpath.exists():
            g = pd.read_csv(gpath, dtype={"geo": str})
            g = g.rename(columns={kpi.lower(): "value", "year": "period", "geo": "area"})
            g["sex"] = g.pop("gender").str.upper()
            g["indicator"] = kpi
            frames.append(g)
    obs = pd.concat(frames, ignore_index=True)
    obs["area"] = obs["area"].where(obs["area"] != "0", "0000")
    obs["period"] = obs["period"].astype("int32")
    obs["period_start"] = (obs["period"] - obs["indicator"].map(span) + 1).astype("int32")
    obs["value"] = obs["value"].astype("float64")
    obs = obs[["indicator", "area", "period", "period_start", "sex", "value"]]
    obs = obs.sort_values(["indicator", "area", "period", "sex"]).reset_index(drop=True)
    assert not obs.duplicated(["indicator", "area", "period", "sex"]).any()
    unknown = set(obs["area"]) - set(areas["code"])
    assert not unknown, unknown
    obs.to_parquet(SAMPLE / "kolada_sample.parquet", compression="zstd", index=False)

    # -- denominators: Kolada population by age band and sex, from the full dump ---------------
    full = shared / "data" / "kolada_ddf_full" / "kolada_observations.parquet"
    den = pd.read_parquet(full, filters=[("kpi", "in", list(DENOMINATOR_KPIS))])
    den = den.rename(columns={"kpi": "indicator", "geo": "area", "year": "period",
                              "gender": "sex"})
    den["area"] = den["area"].where(den["area"] != "0", "0000")
    den["period"] = den["period"].astype("int32")
    den["period_start"] = den["period"]
    den = den[["indicator", "area", "period", "period_start", "sex", "value"]]
    den = den.sort_values(["indicator", "area", "period", "sex"]).reset_index(drop=True)
    assert not set(den["area"]) - set(areas["code"])
    den.to_parquet(SAMPLE / "kolada_denominators.parquet", compression="zstd", index=False)
    print(f"areas {len(areas)}, groups {len(groups)}, indicators {len(out)}, "
          f"sample rows {len(obs)}, denominator rows {len(den)}")


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared"))
