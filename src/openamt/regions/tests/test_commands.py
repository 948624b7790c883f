from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from openamt.core.imports import read_text
from openamt.regions.models import Region


def test_import_regions_prints_counts_per_type(register):
    out, err = StringIO(), StringIO()
    call_command("import_regions", str(register.regions), "--land", "16", stdout=out, stderr=err)
    edition, *lines = out.getvalue().splitlines()
    assert edition == f"Ausgabe: {register.regions.name}"
    assert lines[0].split()[:7] == [
        "Art",
        "neu",
        "geändert",
        "unverändert",
        "beendet",
        "gelöscht",
        "übersprungen",
    ]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:-1]}
    assert rows["gemeinde"] == ["0", "0", "605", "0", "0", "0"]
    assert rows["kreis"] == ["0", "0", "22", "0", "0", "0"]
    assert lines[-1] == "0 Änderungen."
    assert "Gebiete: 100%" in err.getvalue()


def test_import_regions_names_the_bad_line(register, tmp_path):
    lines = read_text(register.regions).splitlines(keepends=True)
    lines[2] = "99" + lines[2][2:]
    path = tmp_path / "kaputt.txt"
    path.write_text("".join(lines), encoding="utf-8")
    count = Region.objects.count()
    with pytest.raises(
        CommandError, match=r"Zeile 3: Unbekannte Satzart „99“\. Es wurde nichts importiert\."
    ):
        call_command("import_regions", str(path), stdout=StringIO(), stderr=StringIO())
    assert Region.objects.count() == count


def test_missing_file(db):
    with pytest.raises(CommandError, match="Datei nicht gefunden"):
        call_command("import_postcodes", "/nicht/vorhanden.csv")
