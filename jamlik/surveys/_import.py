"""Import a survey wave, pseudonymised and all or nothing.

Tables (owner ``surveys``; migrations in ``MIGRATIONS``, applied by ``store.apply_migrations``):
``survey_waves`` (one row per wave: the questionnaire definition, counts) and
``survey_responses`` (one row per pupil × question: pseudonym, municipality, school, grade,
sex, answer code). No table holds the identifier: the pseudonym is HMAC-SHA256 of it with a
key kept outside the database (``JAMLIK_SURVEY_KEY`` or a key file). Pupils without consent
are not stored.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from jamlik.errors import JamlikError
from jamlik.io import CellError, ImportRejected
from jamlik.io._errors import ErrorCollector
from jamlik.store import Store
from jamlik.surveys._definition import (
    CONSENT_COLUMN,
    FIXED_COLUMNS,
    GRADES,
    ID_COLUMN,
    SEXES,
    DefinitionError,
    Questionnaire,
    load_questionnaire,
)
from jamlik.surveys._generate import (
    POPULATION_COLUMNS,
    POPULATION_FILE,
    QUESTIONNAIRE_FILE,
    RESPONSE_FILES,
)

OWNER = "surveys"
KEY_ENV = "JAMLIK_SURVEY_KEY"
MIGRATIONS = [(1, "survey waves and pseudonymised responses", """
CREATE TABLE survey_waves (
    wave VARCHAR PRIMARY KEY, questionnaire VARCHAR NOT NULL, definition VARCHAR NOT NULL,
    pupils INTEGER NOT NULL, without_consent INTEGER NOT NULL, imported_at TIMESTAMP NOT NULL);
CREATE TABLE survey_responses (
    wave VARCHAR NOT NULL, pseudonym VARCHAR NOT NULL, municipality VARCHAR NOT NULL,
    school VARCHAR NOT NULL, grade VARCHAR NOT NULL, sex VARCHAR NOT NULL,
    question VARCHAR NOT NULL, answer VARCHAR,
    PRIMARY KEY (wave, pseudonym, question));
"""), (2, "consent withdrawals and the survey audit log", """
CREATE TABLE survey_withdrawals (pseudonym VARCHAR PRIMARY KEY, withdrawn_at TIMESTAMP NOT NULL);
CREATE TABLE survey_audit (
    logged_at TIMESTAMP NOT NULL, action VARCHAR NOT NULL, wave VARCHAR, pseudonym VARCHAR,
    rows INTEGER NOT NULL, detail VARCHAR);
"""), (3, "enrolled pupils per municipality, grade and sex: the population weights calibrate to", """
CREATE TABLE survey_population (
    wave VARCHAR NOT NULL, municipality VARCHAR NOT NULL, grade VARCHAR NOT NULL,
    sex VARCHAR NOT NULL, pupils INTEGER NOT NULL CHECK (pupils >= 0),
    PRIMARY KEY (wave, municipality, grade, sex));
""")]
_CONSENT = {"ja": True, "j": True, "1": True, "yes": True, "nej": False, "n": False, "0": False,
            "no": False}


class SurveyKeyError(JamlikError, ValueError):
    """No pseudonymisation key, or a key file that cannot be used."""


def ensure_tables(store: Store) -> None:
    store.apply_migrations(OWNER, MIGRATIONS)


def survey_key(key_file: Path | None = None) -> bytes:
    """The pseudonymisation key: ``key_file`` if given, else ``JAMLIK_SURVEY_KEY``."""
    if key_file is not None:
        try:
            key = key_file.read_bytes().strip()
        except OSError as exc:
            raise SurveyKeyError(f"nyckelfilen {key_file} kan inte läsas ({exc.strerror}).") from None
    else:
        key = os.environ.get(KEY_ENV, "").strip().encode()
    if len(key) < 16:
        raise SurveyKeyError(
            f"ingen nyckel för pseudonymisering (minst 16 tecken): sätt {KEY_ENV} eller ange "
            "--key-file med en fil utanför databasen. Förvara nyckeln skilt från databasen.")
    return key


def pseudonym(identifier: str, key: bytes) -> str:
    """HMAC-SHA256 of the identifier (hex); without the key it cannot be reversed or linked."""
    return hmac.new(key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SurveyImportReport:
    wave: str
    pupils: int
    stored: int
    without_consent: int
    responses: int
    #: pupils marked consenting whose consent was withdrawn earlier: not stored
    withdrawn: int = 0
    #: enrolled pupils in population.csv (None: no population file, estimates are unweighted)
    enrolled: int | None = None


def import_wave(store: Store, directory: Path, key: bytes) -> SurveyImportReport:
    """Validate ``directory``'s responses against its questionnaire and store them pseudonymised.

    Raises ImportRejected (every bad cell as file:line:column, nothing stored) or
    DefinitionError. Re-importing a wave replaces it.
    """
    qpath = directory / QUESTIONNAIRE_FILE
    definition, frame, population = _validated_wave(directory)
    consent = frame[CONSENT_COLUMN].str.strip().str.lower().map(_CONSENT).astype(bool)
    ensure_tables(store)
    withdrawn = {r[0] for r in store.execute("SELECT pseudonym FROM survey_withdrawals").fetchall()}
    all_pseudonyms = pd.Series([pseudonym(i, key) for i in frame[ID_COLUMN].str.strip()],
                               index=frame.index)
    was_withdrawn = all_pseudonyms.isin(withdrawn) & consent
    consent &= ~was_withdrawn
    kept = frame[consent]
    pseudonyms = all_pseudonyms[consent].tolist()
    base = pd.DataFrame({
        "wave": definition.wave, "pseudonym": pseudonyms,
        "municipality": kept["municipality"].str.strip().to_numpy(),
        "school": kept["school"].str.strip().to_numpy(),
        "grade": kept["grade"].str.strip().to_numpy(),
        "sex": kept["sex"].str.strip().to_numpy()})
    parts = []
    for q in definition.questions:
        part = base.copy()
        part["question"] = q.id
        answers = kept[q.id].str.strip().to_numpy()
        part["answer"] = [a if a else None for a in answers]
        parts.append(part)
    long = pd.concat(parts, ignore_index=True)
    with store.transaction():
        store.execute("DELETE FROM survey_responses WHERE wave = ?", [definition.wave])
        store.execute("DELETE FROM survey_waves WHERE wave = ?", [definition.wave])
        store.execute("DELETE FROM survey_population WHERE wave = ?", [definition.wave])
        with store.registered("_survey_import", long):
            store.execute("INSERT INTO survey_responses BY NAME SELECT * FROM _survey_import")
        if population is not None:
            population.insert(0, "wave", definition.wave)
            with store.registered("_survey_population", population):
                store.execute(
                    "INSERT INTO survey_population BY NAME SELECT * FROM _survey_population")
        store.execute(
            "INSERT INTO survey_waves VALUES (?, ?, ?, ?, ?, ?)",
            [definition.wave, definition.id, qpath.read_text(encoding="utf-8"), len(frame),
             int((~consent).sum()), _now()])
        _audit(store, "import", definition.wave, None, len(long),
               f"{len(kept)} elever sparade, {int((~consent).sum())} utan samtycke, varav "
               f"{int(was_withdrawn.sum())} som tidigare återkallat")
    return SurveyImportReport(definition.wave, len(frame), len(kept), int((~consent).sum()),
                              len(long), int(was_withdrawn.sum()),
                              None if population is None else int(population["pupils"].sum()))


def validate_wave(directory: Path) -> None:
    """Check a wave folder as ``import_wave`` would, storing nothing (for all-or-nothing imports
    of several waves)."""
    _validated_wave(directory)


def _validated_wave(directory: Path) -> tuple[Questionnaire, pd.DataFrame, pd.DataFrame | None]:
    qpath = directory / QUESTIONNAIRE_FILE
    found = [directory / f for f in RESPONSE_FILES if (directory / f).is_file()]
    if not qpath.is_file() or len(found) != 1:
        raise DefinitionError(
            f"{directory}: mappen ska innehålla {QUESTIONNAIRE_FILE} och precis en svarsfil "
            f"({', '.join(RESPONSE_FILES)}); hittade "
            f"{', '.join(p.name for p in found) or 'ingen svarsfil'}"
            f"{'' if qpath.is_file() else ' och ingen ' + QUESTIONNAIRE_FILE}.")
    rpath = found[0]
    definition = load_questionnaire(qpath)
    frame = _validated(rpath, definition)
    ppath = directory / POPULATION_FILE
    population = _validated_population(ppath, definition, frame) if ppath.is_file() else None
    return definition, frame, population


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _audit(store: Store, action: str, wave: str | None, pseudo: str | None, rows: int,
           detail: str) -> None:
    store.execute("INSERT INTO survey_audit VALUES (?, ?, ?, ?, ?, ?)",
                  [_now(), action, wave, pseudo, rows, detail])


@dataclass(frozen=True)
class WithdrawalReport:
    pupils: int
    rows_deleted: int


def withdraw_consent(store: Store, identifiers: list[str], key: bytes) -> WithdrawalReport:
    """Delete every stored response of these pupils in all waves and keep them out of future
    imports; each pupil gets an audit entry (pseudonym only, never the identifier)."""
    bad = [i for i, ident in enumerate(identifiers, start=1)
           if not (ident.strip().isdigit() and len(ident.strip()) == 12)]
    if bad:
        raise ValueError(f"rad {bad[0]}: identiteten ska vara ett personnummer med 12 siffror "
                         f"({len(bad)} ogiltiga rader); ingenting togs bort.")
    ensure_tables(store)
    deleted = 0
    with store.transaction():
        for pseudo in dict.fromkeys(pseudonym(i.strip(), key) for i in identifiers):
            n = int(store.scalar(
                "SELECT count(*) FROM survey_responses WHERE pseudonym = ?", [pseudo]))
            store.execute("DELETE FROM survey_responses WHERE pseudonym = ?", [pseudo])
            store.execute("INSERT INTO survey_withdrawals VALUES (?, ?) ON CONFLICT DO NOTHING",
                          [pseudo, _now()])
            _audit(store, "withdraw", None, pseudo, n, "samtycket återkallat; svaren raderade")
            deleted += n
    return WithdrawalReport(len(set(identifiers)), deleted)


def audit_log(store: Store) -> list[dict[str, object]]:
    """The survey audit entries, oldest first."""
    ensure_tables(store)
    cur = store.execute("SELECT logged_at, action, wave, pseudonym, rows, detail FROM survey_audit "
                        "ORDER BY logged_at, action")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def read_responses(path: Path) -> tuple[pd.DataFrame, str | None]:
    """The responses as text cells (empty = no answer) and the sheet name of a spreadsheet.

    CSV (UTF-8), Excel (.xlsx, the first sheet) or SPSS (.sav, through pyreadstat: numeric
    answer codes become their integer text, value labels are not applied — the questionnaire
    definition holds the labels). Line numbers: CSV and Excel as in the file (line 1 the
    header), SPSS case number + 1.
    """
    name, suffix = path.name, path.suffix.lower()
    try:
        if suffix == ".xlsx":
            import openpyxl

            sheet = openpyxl.load_workbook(path, read_only=True).sheetnames[0]
            frame = pd.read_excel(path, sheet_name=sheet, dtype=str, keep_default_na=False)
            return frame.fillna(""), sheet
        if suffix == ".sav":
            import pyreadstat

            raw, _meta = pyreadstat.read_sav(str(path), apply_value_formats=False)
            return raw.apply(_sav_text), None
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig"), None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ImportRejected([CellError(name, None, None, None,
                                        f"filen kan inte läsas som CSV i UTF-8 ({exc}).")]) from None
    except Exception as exc:  # noqa: BLE001 - any reader failure is the file's fault, said plainly
        if isinstance(exc, ImportRejected):
            raise
        kind = "Excel-fil" if suffix == ".xlsx" else "SPSS-fil"
        raise ImportRejected([CellError(name, None, None, None,
                                        f"filen kan inte läsas som {kind} ({exc}).")]) from None


def _sav_text(column: pd.Series) -> pd.Series:
    """An SPSS column as text: whole numbers without '.0', missing as empty."""
    if column.dtype.kind in "fi":
        return column.map(lambda v: "" if pd.isna(v) else
                          (str(int(v)) if float(v).is_integer() else str(v)))
    return column.astype(object).where(column.notna(), "").astype(str)


def _validated(path: Path, definition: Questionnaire) -> pd.DataFrame:
    """The responses as text, or ImportRejected naming every bad cell."""
    name = path.name
    frame, sheet = read_responses(path)
    errors = ErrorCollector(name, sheet)
    columns = list(frame.columns)
    needed = [*FIXED_COLUMNS, *(q.id for q in definition.questions)]
    for col in needed:
        if col not in columns:
            what = ("samtyckeskolumnen" if col == CONSENT_COLUMN else f"kolumnen {col!r}")
            errors.add(1, None, col, f"{what} saknas i rubrikraden — utan den importeras "
                                    "ingenting (kolumner som krävs: " + ", ".join(needed) + ").")
    errors.raise_if_any()
    lines = frame.index.to_numpy() + 2  # line 1 is the header

    def check(col: str, bad: pd.Series, message) -> None:  # noqa: ANN001 - callable(row) -> str
        rows = bad.to_numpy().nonzero()[0]
        errors.add_rows(rows, lines[rows], columns.index(col) + 1, col, message)

    def cell(col: str):  # noqa: ANN202
        return lambda r: frame[col].iat[r]

    ident = frame[ID_COLUMN].str.strip()
    check(ID_COLUMN, ~ident.str.fullmatch(r"\d{12}"),
          lambda r: "identiteten ska vara ett personnummer med 12 siffror (ÅÅÅÅMMDDNNNN).")
    first = ident.duplicated(keep="first")
    firsts = {v: i for i, v in reversed(list(enumerate(ident)))}
    check(ID_COLUMN, first & ident.ne(""),
          lambda r: f"samma elev finns två gånger i omgången (första gången på rad "
                    f"{firsts[ident.iat[r]] + 2}).")
    from jamlik.catalog import municipalities

    known = set(municipalities()["code"].astype(str))
    muni = cell("municipality")
    check("municipality", ~frame["municipality"].str.strip().isin(known),
          lambda r: f"okänd kommunkod {muni(r)!r} (fyra siffror, t.ex. 2080).")
    check("school", frame["school"].str.strip().eq(""), lambda r: "skola saknas.")
    grade = cell("grade")
    check("grade", ~frame["grade"].str.strip().isin(definition.grades),
          lambda r: f"okänd årskurs {grade(r)!r} — tillåtna: "
                    + ", ".join(f"{g} ({GRADES[g]})" for g in definition.grades) + ".")
    sex = cell("sex")
    check("sex", ~frame["sex"].str.strip().isin(list(SEXES)),
          lambda r: f"okänt kön {sex(r)!r} — ange K eller M.")
    cons = cell(CONSENT_COLUMN)
    check(CONSENT_COLUMN, ~frame[CONSENT_COLUMN].str.strip().str.lower().isin(list(_CONSENT)),
          lambda r: f"samtycke {cons(r)!r} går inte att tolka — ange ja eller nej.")
    for q in definition.questions:
        answer = frame[q.id].str.strip()
        value = cell(q.id)
        codes = ", ".join(f"{k} = {v}" for k, v in q.answers.items())
        check(q.id, answer.ne("") & ~answer.isin(list(q.answers)),
              lambda r, value=value, codes=codes: f"okänd svarskod {value(r)!r} — frågan "
              f"tillåter {codes} (tomt = inget svar).")
    errors.raise_if_any()
    return frame


def _validated_population(path: Path, definition: Questionnaire,
                          responses: pd.DataFrame) -> pd.DataFrame:
    """The enrolled pupils per municipality × grade × sex, or ImportRejected naming every bad
    cell. A cell with more pupils in the responses file than enrolled is refused: the weights
    would be below one and the population wrong."""
    name = path.name
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ImportRejected([CellError(name, None, None, None,
                                        f"filen kan inte läsas som CSV i UTF-8 ({exc}).")]) from None
    errors = ErrorCollector(name)
    columns = list(frame.columns)
    for col in POPULATION_COLUMNS:
        if col not in columns:
            errors.add(1, None, col, f"kolumnen {col!r} saknas i rubrikraden (kolumner som "
                                     f"krävs: {', '.join(POPULATION_COLUMNS)}).")
    errors.raise_if_any()
    frame = frame[list(POPULATION_COLUMNS)].apply(lambda c: c.str.strip())
    lines = frame.index.to_numpy() + 2

    def check(col: str, bad: pd.Series, message) -> None:  # noqa: ANN001 - callable(row) -> str
        rows = bad.to_numpy().nonzero()[0]
        errors.add_rows(rows, lines[rows], columns.index(col) + 1, col, message)

    from jamlik.catalog import municipalities

    known = set(municipalities()["code"].astype(str))
    check("municipality", ~frame["municipality"].isin(known),
          lambda r: f"okänd kommunkod {frame['municipality'].iat[r]!r}.")
    check("grade", ~frame["grade"].isin(definition.grades),
          lambda r: f"okänd årskurs {frame['grade'].iat[r]!r}.")
    check("sex", ~frame["sex"].isin(list(SEXES)),
          lambda r: f"okänt kön {frame['sex'].iat[r]!r} — ange K eller M.")
    check("pupils", ~frame["pupils"].str.fullmatch(r"\d+"),
          lambda r: f"antalet elever {frame['pupils'].iat[r]!r} ska vara ett heltal ≥ 0.")
    key = frame["municipality"] + "|" + frame["grade"] + "|" + frame["sex"]
    firsts = {v: i for i, v in reversed(list(enumerate(key)))}
    check("municipality", key.duplicated(keep="first"),
          lambda r: f"samma kommun, årskurs och kön finns redan på rad {firsts[key.iat[r]] + 2}.")
    errors.raise_if_any()
    frame["pupils"] = frame["pupils"].astype(int)
    counted = (responses.assign(**{c: responses[c].str.strip()
                                   for c in ("municipality", "grade", "sex")})
               .groupby(["municipality", "grade", "sex"]).size())
    enrolled = frame.set_index(["municipality", "grade", "sex"])["pupils"]
    for cell, n in counted.items():
        if int(enrolled.get(cell, 0)) < int(n):
            muni, grade, sex = cell
            row = firsts.get(f"{muni}|{grade}|{sex}")
            errors.add(None if row is None else row + 2, columns.index("pupils") + 1, "pupils",
                       f"{muni}, årskurs {grade}, {SEXES[sex]}: {n} elever i svarsfilen men "
                       f"{int(enrolled.get(cell, 0))} inskrivna — befolkningen kan inte vara "
                       "mindre än antalet svarande.")
    errors.raise_if_any()
    return frame


@dataclass(frozen=True)
class RetentionReport:
    waves: tuple[str, ...]
    rows_deleted: int


def prune_waves(store: Store, before: int) -> RetentionReport:
    """Retention (gallring): delete every wave from before the year ``before`` — responses,
    enrolment counts and the wave itself — with one audit entry per wave. Published aggregates
    in the store are left as they are (they hold no personal data)."""
    ensure_tables(store)
    old = [r[0] for r in store.execute("SELECT wave FROM survey_waves ORDER BY wave").fetchall()
           if r[0][:4].isdigit() and int(r[0][:4]) < before]
    deleted = 0
    with store.transaction():
        for wave in old:
            n = int(store.scalar("SELECT count(*) FROM survey_responses WHERE wave = ?", [wave]))
            for table in ("survey_responses", "survey_population", "survey_waves"):
                store.execute(f"DELETE FROM {table} WHERE wave = ?", [wave])
            _audit(store, "retention", wave, None, n,
                   f"omgången gallrad (äldre än {before}); svaren raderade")
            deleted += n
    return RetentionReport(tuple(old), deleted)
