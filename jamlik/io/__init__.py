"""File imports: CSV, XLSX and Parquet into the indicator store, all or nothing.

```python
from jamlik.io import import_file, ImportRejected
report = import_file(store, "kommuner.csv", mapping="kommuner.toml", dry_run=True)
```
Every rejected cell is reported as ``file:line:column: message`` (Swedish) before anything
is written; see docs/IMPORT.md for the mapping format. ``read_toml``/``parse_toml`` are the one
TOML reader of the package (Swedish errors naming file, line and column).
"""

from jamlik.io._errors import ERROR_LIMIT, CellError, ImportRejected, MappingError
from jamlik.io._import import ImportReport, import_file
from jamlik.io._mapping import IndicatorMeta, Mapping, load_mapping, parse_mapping
from jamlik.io._read import RawTable, read_table
from jamlik.io._toml import TomlError, parse_toml, read_toml

__all__ = [
    "ERROR_LIMIT", "CellError", "ImportRejected", "ImportReport", "IndicatorMeta", "Mapping",
    "MappingError", "RawTable", "TomlError", "import_file", "load_mapping", "parse_mapping",
    "parse_toml", "read_table", "read_toml",
]
