"""The dbt project's layers, read from its files (no build): staging reads
only sources, intermediate models never read marts, marts are named by kind,
each model has its own YAML, and every model states its grain."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
REF = re.compile(r"""\bref\(\s*['"](\w+)['"]\s*\)""")
SEEDS = {p.stem for p in (ROOT / "seeds").glob("*.csv")}
MACROS = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "macros").glob("*.sql"))


def models(layer: str) -> list[Path]:
    return sorted((MODELS / layer).glob("*.sql"))


def refs(model: Path) -> set[str]:
    """The models a model reads: its own refs and those of the macros it calls."""
    sql = model.read_text(encoding="utf-8")
    called = set(re.findall(r"\{\{\s*(\w+)\(", sql))
    found = set(REF.findall(sql))
    for name in called:
        body = re.search(rf"\{{%-?\s*macro\s+{name}\(.*?\{{%-?\s*endmacro", MACROS, re.S)
        if body:
            found |= set(REF.findall(body.group(0)))
    return found


def test_the_project_has_models_in_every_layer():
    assert models("staging") and models("intermediate") and models("marts")


@pytest.mark.parametrize("model", models("staging"), ids=lambda p: p.stem)
def test_staging_reads_only_sources(model):
    assert model.stem.startswith("stg_raw__")
    assert refs(model) <= SEEDS, f"{model.stem} reads models: {refs(model) - SEEDS}"


@pytest.mark.parametrize("model", models("intermediate"), ids=lambda p: p.stem)
def test_intermediate_never_reads_marts(model):
    assert model.stem.startswith("int_")
    read = refs(model) - SEEDS
    assert all(r.startswith(("stg_", "int_")) for r in read), \
        f"{model.stem} reads {sorted(r for r in read if not r.startswith(('stg_', 'int_')))}"


@pytest.mark.parametrize("model", models("marts"), ids=lambda p: p.stem)
def test_marts_are_named_by_kind(model):
    assert model.stem.startswith(("dim_", "fct_", "rpt_"))


@pytest.mark.parametrize("model", sorted(MODELS.rglob("*.sql")), ids=lambda p: p.stem)
def test_each_model_has_its_own_yaml_stating_its_grain(model):
    yaml = model.with_suffix(".yml")
    assert yaml.exists(), f"{model.stem} has no {yaml.name}"
    assert f"name: {model.stem}\n" in yaml.read_text(encoding="utf-8")
    stated = model.read_text(encoding="utf-8") + yaml.read_text(encoding="utf-8")
    assert re.search(r"\bgrain\b", stated, re.I), f"{model.stem} states no grain"
