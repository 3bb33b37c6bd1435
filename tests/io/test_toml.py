"""The one TOML reader (jamlik.io.read_toml/parse_toml): Swedish errors naming file, line and
column, and every TOML-reading module uses it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jamlik.io import TomlError, parse_toml, read_toml

ROOT = Path(__file__).resolve().parents[2]


def test_reads_valid_toml_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_bytes("\ufeff[organisation]\nname = \"Falun\"\n".encode())
    assert read_toml(path) == {"organisation": {"name": "Falun"}}


@pytest.mark.parametrize("text, line, column, words", [
    ('a = 1\nb = \n', 2, 5, "ett värde saknas"),
    ('a = 1\nnamn "Falun"\n', 2, 6, "likhetstecken"),
    ('[x]\na = 1\n[x]\n', 3, 3, "två gånger"),
    ('a = "öppen\n', 1, 11, "citattecken"),
    ('a = [1, 2\n', 2, 1, "lista"),
])
def test_errors_name_file_line_and_column_in_swedish(tmp_path, text, line, column, words):
    path = tmp_path / "fall.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TomlError) as info:
        read_toml(path, name="fall.toml")
    err = info.value
    assert (err.file, err.line, err.column) == ("fall.toml", line, column)
    assert str(err).startswith(f"fall.toml:{line}:{column}: ogiltig TOML – ")
    assert words in str(err)
    assert not re.search(r"\b(at line|Invalid|Expected)\b", str(err))  # no English left


def test_missing_file_and_non_utf8_text(tmp_path):
    with pytest.raises(TomlError, match=r"saknas\.toml: filen finns inte"):
        read_toml(tmp_path / "saknas.toml", name="saknas.toml")
    path = tmp_path / "latin1.toml"
    path.write_bytes('a = "ok"\nb = "m\xe5l"\n'.encode("latin-1"))
    with pytest.raises(TomlError, match=r"latin1\.toml:2:7: filen är inte UTF-8-text") as info:
        read_toml(path, name="latin1.toml")
    assert (info.value.line, info.value.column) == (2, 7)


def test_parse_toml_names_what_it_was_given():
    with pytest.raises(TomlError, match=r"^enkäten:1:3: ogiltig TOML"):
        parse_toml("a b", "enkäten")


def test_no_module_reads_toml_its_own_way():
    readers = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "jamlik").rglob("*.py")
                     if "tomllib" in p.read_text(encoding="utf-8"))
    assert readers == ["jamlik/io/_toml.py"]
