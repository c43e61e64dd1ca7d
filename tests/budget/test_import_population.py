"""python manage.py import_population: SCB-style CSV, all or nothing."""
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from budget.models import Population

pytestmark = pytest.mark.django_db

HEADER = "kommunkod,kommun,datum,folkmangd,kalla\n"
SOURCE = "SCB (Folkmängd i riket, län och kommuner 31 december 2018)"
QUOTED = f'"{SOURCE}"'  # the comma in the source needs CSV quotes
GOOD_ROWS = [
    f"0127,Botkyrka,2018-12-31,93259,{QUOTED}",
    f"0136,Haninge,2018-12-31,89989,{QUOTED}",
]


def _snapshot():
    return sorted(Population.objects.values_list("municipality__code", "date", "inhabitants", "source_text"))


def _write(tmp_path: Path, text: str, name="folkmangd.csv", encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _refused(path: Path, *args) -> str:
    before = _snapshot()
    with pytest.raises(CommandError) as exc:
        call_command("import_population", str(path), *args)
    assert _snapshot() == before, "a refused file must change nothing"
    return str(exc.value)


def test_a_good_file_is_imported_with_its_source(tmp_path, capsys):
    path = _write(tmp_path, HEADER + "\n".join(GOOD_ROWS) + "\n")
    call_command("import_population", str(path))
    figure = Population.objects.get(municipality__code="0127", date="2018-12-31")
    assert (figure.inhabitants, figure.source_text) == (93_259, SOURCE)
    assert "2 nya, 0 ersatta, 0 oförändrade" in capsys.readouterr().out


def test_the_published_file_imports_again_without_changing_anything(tmp_path, capsys):
    """The seed already holds fixtures/folkmangd.csv; importing it again is harmless."""
    path = tmp_path / "folkmangd.csv"
    shutil.copy(Path(settings.BASE_DIR) / "fixtures" / "folkmangd.csv", path)
    before = _snapshot()
    call_command("import_population", str(path))
    assert _snapshot() == before
    assert "0 nya, 0 ersatta, 19 oförändrade" in capsys.readouterr().out


def test_the_header_may_be_written_with_swedish_letters_and_a_bom(tmp_path):
    text = "\ufeffKommunkod,Kommun,Datum,Folkmängd,Källa\n" + GOOD_ROWS[0] + "\n"
    call_command("import_population", str(_write(tmp_path, text)))
    assert Population.objects.filter(municipality__code="0127", date="2018-12-31").exists()


def test_a_wrong_header_is_refused(tmp_path):
    message = _refused(_write(tmp_path, "kod;kommun;år;antal\n0127;Botkyrka;2018;93259\n"))
    assert "Rad 1: fel rubrikrad" in message
    assert "kommunkod,kommun,datum,folkmangd,kalla" in message
    assert "ingenting har ändrats" in message


def test_an_unknown_municipality_code_is_refused(tmp_path):
    message = _refused(_write(tmp_path, HEADER + GOOD_ROWS[0] + "\n0999,Påhittad,2018-12-31,1000,SCB\n"))
    assert "Rad 3: okänd kommunkod 0999" in message


def test_a_code_that_does_not_name_the_municipality_is_refused(tmp_path):
    message = _refused(_write(tmp_path, HEADER + f"0126,Haninge,2018-12-31,110003,{QUOTED}\n"))
    assert "Rad 2: kommunkod 0126 är Huddinge, inte ”Haninge”" in message


@pytest.mark.parametrize("number", ["93 259", "93259.5", "-93259", "0", "ca 93000", ""])
def test_a_malformed_number_is_refused(tmp_path, number):
    message = _refused(_write(tmp_path, HEADER + f"0127,Botkyrka,2018-12-31,{number},{QUOTED}\n"))
    assert "Rad 2: folkmängden" in message


@pytest.mark.parametrize("date", ["2018-02-30", "31/12/2018", "2018", "2018-12-31T00:00"])
def test_a_malformed_date_is_refused(tmp_path, date):
    message = _refused(_write(tmp_path, HEADER + f"0127,Botkyrka,{date},93259,{QUOTED}\n"))
    assert f"Rad 2: datumet ”{date}”" in message


def test_a_code_that_is_not_four_digits_is_refused(tmp_path):
    message = _refused(_write(tmp_path, HEADER + f"127,Botkyrka,2018-12-31,93259,{QUOTED}\n"))
    assert "Rad 2: kommunkoden ”127” ska vara fyra siffror" in message


def test_a_duplicate_within_the_file_is_refused_naming_both_lines(tmp_path):
    text = HEADER + "\n".join(GOOD_ROWS + [f"0127,Botkyrka,2018-12-31,93260,{QUOTED}"]) + "\n"
    message = _refused(_write(tmp_path, text))
    assert "Rad 4: Botkyrka 2018-12-31 finns redan på rad 2 i filen." in message


def test_a_different_figure_for_an_existing_date_is_refused_without_replace(tmp_path):
    message = _refused(_write(tmp_path, HEADER + "0126,Huddinge,2016-12-31,107539,SCB\n"))
    assert "Rad 2: Huddinge har redan folkmängden 107538 per 2016-12-31" in message
    assert "--replace" in message


def test_replace_overwrites_an_existing_figure(tmp_path, capsys):
    path = _write(tmp_path, HEADER + "0126,Huddinge,2016-12-31,107539,SCB rättad\n")
    call_command("import_population", str(path), "--replace")
    figure = Population.objects.get(municipality__code="0126", date="2016-12-31")
    assert (figure.inhabitants, figure.source_text) == (107_539, "SCB rättad")
    assert "0 nya, 1 ersatta" in capsys.readouterr().out


def test_a_missing_source_is_refused(tmp_path):
    message = _refused(_write(tmp_path, HEADER + "0127,Botkyrka,2018-12-31,93259,\n"))
    assert "Rad 2: källa saknas" in message


def test_a_line_with_the_wrong_number_of_fields_is_refused(tmp_path):
    message = _refused(_write(tmp_path, HEADER + "0127,Botkyrka,2018-12-31,93259\n"))
    assert "Rad 2: raden har 4 fält, ska ha 5" in message


def test_one_bad_line_refuses_the_whole_file_and_every_error_is_listed(tmp_path):
    text = HEADER + "\n".join(GOOD_ROWS + ["0999,X,2018-12-31,1,SCB", "0138,Tyresö,2018-13-31,48000,SCB"]) + "\n"
    message = _refused(_write(tmp_path, text))
    assert "Rad 4: okänd kommunkod 0999" in message
    assert "Rad 5: datumet ”2018-13-31”" in message
    assert not Population.objects.filter(date="2018-12-31").exists()


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    text = HEADER + "0192,Nynäshamn,2018-12-31,28450,SCB\n"
    message = _refused(_write(tmp_path, text, encoding="latin-1"))
    assert "Rad 2: filen är inte UTF-8-kodad" in message


def test_an_empty_file_and_a_header_only_file_are_refused(tmp_path):
    assert "Filen är tom" in _refused(_write(tmp_path, "", name="tom.csv"))
    assert "inga folkmängdsuppgifter" in _refused(_write(tmp_path, HEADER, name="rubrik.csv"))


def test_a_missing_file_is_refused(tmp_path):
    assert "finns inte" in _refused(tmp_path / "saknas.csv")


def test_dry_run_checks_the_file_but_saves_nothing(tmp_path, capsys):
    path = _write(tmp_path, HEADER + "\n".join(GOOD_ROWS) + "\n")
    before = _snapshot()
    call_command("import_population", str(path), "--dry-run")
    assert _snapshot() == before
    assert "Skulle importera" in capsys.readouterr().out
