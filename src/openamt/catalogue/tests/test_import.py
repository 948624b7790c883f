import pytest

from openamt.catalogue.importers.leika import internal_key, parse_catalogue, parse_ozg_list
from openamt.catalogue.models import OzgService, Service
from openamt.catalogue.services import services_import
from openamt.core.errors import ImportFormatError
from openamt.core.imports import open_text, read_text


def _import(files, path=None):
    with open_text(files.ozg_services) as handle:
        ozg_rows = list(parse_ozg_list(handle))
    with open_text(path or files.services) as handle:
        return services_import(rows=parse_catalogue(handle), ozg_rows=ozg_rows)


def test_all_leika_keys_are_imported(register):
    assert Service.objects.filter(in_leika=True).count() == 4813
    assert (
        not Service.objects.filter(in_leika=True).exclude(leika_key__regex=r"^[0-9]{14}$").exists()
    )
    # Rows "nicht im LeiKa": 436 rows with 434 distinct names.
    assert Service.objects.filter(in_leika=False).count() == 434
    assert OzgService.objects.count() == 557


def test_service_carries_catalogue_data(register):
    service = Service.objects.select_related("ozg_service").get(leika_key="99115005104000")
    assert service.name == "Wohnsitz Anmeldung"
    assert service.typisierung == "2/3"
    assert service.typisierung_label == "Regelung durch den Bund, Vollzug durch Land oder Kommune"
    assert service.ozg_service.name == "Wohnsitzmeldungen"
    assert service.ozg_service.lebenslage


def test_services_without_key_get_a_stable_internal_key(register):
    service = Service.objects.get(name="Elektrofischereischein")
    assert service.leika_key == internal_key("Elektrofischereischein")
    assert service.leika_key.startswith("X")
    assert len(service.leika_key) == 14
    assert not service.in_leika


def test_reimport_changes_nothing_and_lists_the_skipped_rows(register):
    count = Service.objects.count()
    summary = _import(register)
    assert summary.changed == 0
    assert Service.objects.count() == count
    assert summary.skipped == {"ungültiger Leistungsschlüssel": 2, "doppelt": 2}
    assert "Zeile 5251: „Test 124“ ohne gültigen Schlüssel" in summary.notes


def test_malformed_file_is_rejected_and_nothing_changes(register, tmp_path):
    lines = read_text(register.services).splitlines(keepends=True)
    lines[10] = lines[10].replace(",", ",X", 3).rsplit(",", 6)[0] + "\n"
    path = tmp_path / "kaputt.csv"
    path.write_text("".join(lines), encoding="utf-8")
    names = list(Service.objects.order_by("pk").values_list("name", flat=True))
    with pytest.raises(ImportFormatError) as error:
        _import(register, path)
    assert error.value.line == 11
    assert list(Service.objects.order_by("pk").values_list("name", flat=True)) == names
