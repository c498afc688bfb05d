"""The import contracts in pyproject.toml catch what they should: strategy importing a recording
app's models (not its metrics) breaks the build, as does anything importing the benchmarks.

Each case copies the project's own pyproject.toml next to a tiny tree of packages with the same names
and runs `lint-imports` on it."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


PYPROJECT = Path(settings.BASE_DIR) / "pyproject.toml"


def lint(tmp_path, modules):
    """lint-imports on packages named as the project's, holding `modules` ({path: source})."""
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
    for package in config["root_packages"]:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    for path, source in modules.items():
        (tmp_path / path).write_text(source)
    (tmp_path / "pyproject.toml").write_text(PYPROJECT.read_text())
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(autouse=True)
def _needs_lint_imports():
    if not LINT_IMPORTS.exists():
        pytest.skip("lint-imports is not installed beside this Python")


def test_strategy_reading_a_metrics_module_keeps_the_contracts(tmp_path):
    result = lint(
        tmp_path,
        {
            "seizures/models.py": "",
            "seizures/metrics.py": "from seizures import models\n",
            "strategy/figures.py": "from seizures import metrics\n",
        },
    )
    assert result.returncode == 0, result.stdout


def test_strategy_importing_a_recording_apps_models_breaks_the_build(tmp_path):
    result = lint(
        tmp_path,
        {"seizures/models.py": "", "strategy/figures.py": "from seizures.models import Seizure\n"},
    )
    assert result.returncode == 1
    assert "Strategy reaches the recording apps only through their metrics modules BROKEN" in result.stdout


def test_an_app_importing_the_benchmarks_breaks_the_build(tmp_path):
    result = lint(tmp_path, {"bench/generator.py": "", "strategy/demo.py": "from bench import generator\n"})
    assert result.returncode == 1
    assert "Nothing imports the benchmarks BROKEN" in result.stdout
