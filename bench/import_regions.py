"""Full GV100AD import (all of Germany) against a raw bulk insert of the same rows.

Target (issue "Platform foundation"): full import <= 10 s.
"""

import sqlite3
import time

from _django import setup

setup()

from django.db import connection  # noqa: E402

from openamt.core.editions import DataFiles  # noqa: E402
from openamt.core.imports import open_text  # noqa: E402
from openamt.regions.importers.gemeindeverzeichnis import parse_gv100ad  # noqa: E402
from openamt.regions.models import Region  # noqa: E402
from openamt.regions.services import regions_import  # noqa: E402

path = DataFiles.configured().regions
size_mb = path.stat().st_size / 1e6

start = time.perf_counter()
with open_text(path) as handle:
    records = list(parse_gv100ad(handle))
parse_s = time.perf_counter() - start

# Baseline: the parsed records inserted with one executemany into a bare table.
raw = sqlite3.connect(":memory:")
raw.execute("CREATE TABLE region (ars TEXT, ags TEXT, name TEXT, kind TEXT, population INT)")
start = time.perf_counter()
raw.executemany(
    "INSERT INTO region VALUES (?, ?, ?, ?, ?)",
    [(r.ars, r.ags, r.name, r.kind, r.population) for r in records],
)
raw.commit()
raw_s = time.perf_counter() - start

start = time.perf_counter()
with open_text(path) as handle:
    summary = regions_import(records=parse_gv100ad(handle))
import_s = time.perf_counter() - start

start = time.perf_counter()
with open_text(path) as handle:
    again = regions_import(records=parse_gv100ad(handle))
reimport_s = time.perf_counter() - start

print(
    f"database: {connection.vendor}; file: {path.name}, {size_mb:.1f} MB on disk, {len(records)} records"
)
print(
    f"rows written: {Region.objects.count()} regions, {sum(summary.created.values())} rows incl. postcodes"
)
print(f"parse only:             {parse_s:7.2f} s")
print(f"baseline raw insert:    {raw_s:7.2f} s (parse excluded)")
print(
    f"full import (ours):     {import_s:7.2f} s   target <= 10 s: {'OK' if import_s <= 10 else 'MISSED'}"
)
print(f"re-import, no changes:  {reimport_s:7.2f} s   ({again.changed} changes)")
print(f"ratio full import / (parse + raw insert): {import_s / (parse_s + raw_s):.1f}x")
