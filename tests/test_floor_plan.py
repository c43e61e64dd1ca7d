"""The house's floor plan (README, "The house"): the import-linter contracts in
pyproject.toml, run as a test so that CI fails on an upward import or a circle."""
import subprocess
import sys
from pathlib import Path

from django.conf import settings

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(*contracts: str) -> subprocess.CompletedProcess:
    args = [str(LINT_IMPORTS), "--no-cache", "--no-logo", "pyproject.toml"]
    for contract in contracts:
        args += ["--contract", contract]
    return subprocess.run(args, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=300)


def test_every_floor_depends_only_downwards_and_no_app_has_an_import_circle():
    """The roof (secretariat) above the rooms, the rooms one way (meetings → calendar_app
    → plans, budget → plans), the ground floor (sodertorn) importing no app, and no
    circle between the modules of any one app."""
    result = _lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout, result.stdout


def test_the_contracts_name_every_app_of_the_project():
    """A new app must get its floor: each local app in INSTALLED_APPS is a root package
    of the contracts."""
    import tomllib

    config = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())["tool"]["importlinter"]
    local = {app.split(".")[0] for app in settings.INSTALLED_APPS if (Path(settings.BASE_DIR) / app.split(".")[0]).is_dir()}
    assert local == set(config["root_packages"])
