"""XZuFi 2.2 export and import of the Thuringian installation's data.

Data: the register of Germany, Thuringia's authorities, the LeiKa catalogue,
the 41 rules (whose effective Zuständigkeiten are exported). Baselines in the
same run: lxml serialising and parsing the same document without any mapping.
"""

import time

from _django import setup

setup()

from django.db import connection  # noqa: E402
from lxml import etree  # noqa: E402

from openamt.catalogue.models import OzgService, Service  # noqa: E402
from openamt.core.editions import DataFiles  # noqa: E402
from openamt.organisations.models import Authority  # noqa: E402
from openamt.responsibility.models import Responsibility, ResponsibilityRule  # noqa: E402
from openamt.responsibility.xzufi.collect import collect_document  # noqa: E402
from openamt.responsibility.xzufi.reader import read_document  # noqa: E402
from openamt.responsibility.xzufi.store import xzufi_import  # noqa: E402
from openamt.responsibility.xzufi.writer import document_xml  # noqa: E402
from openamt.testing.data import load_register  # noqa: E402

files = DataFiles.configured()
load_register(files)


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def export() -> bytes:
    return document_xml(collect_document(), agency="openamt_16", sender="OpenAmt Thüringen")


data, export_s = timed(export)
tree = etree.fromstring(data)
_, parse_s = timed(lambda: etree.fromstring(data))
_, serialise_s = timed(lambda: etree.tostring(tree, encoding="UTF-8", pretty_print=True))
(document, _notes), read_s = timed(lambda: read_document(data))
summary, reimport_s = timed(lambda: xzufi_import(document=document))
assert summary.changed == 0

# An installation with only the register: everything XZuFi carries is gone.
Responsibility.objects.all().delete()
ResponsibilityRule.objects.all().delete()
Service.objects.all().delete()
OzgService.objects.all().delete()
Authority.objects.all().delete()
summary, import_s = timed(lambda: xzufi_import(document=document))
again, again_s = timed(export)

print(
    f"database: {connection.vendor}; document {len(data) / 1e6:.1f} MB: "
    f"{len(document.leistungen)} Leistungen, {len(document.organisationseinheiten)} "
    f"Organisationseinheiten, {sum(len(oe.zustaendigkeiten) for oe in document.organisationseinheiten)} "
    f"Zuständigkeiten"
)
print(
    f"export (collect + write):   {export_s:6.2f} s   lxml serialise only {serialise_s:5.2f} s  ratio {export_s / serialise_s:4.1f}x"
)
print(
    f"read (parse + map):         {read_s:6.2f} s   lxml parse only     {parse_s:5.2f} s  ratio {read_s / parse_s:4.1f}x"
)
print(f"import into empty database: {import_s:6.2f} s   ({summary.changed} rows written)")
print(f"re-import, no changes:      {reimport_s:6.2f} s")
print(f"export after import identical: {again == data}")
