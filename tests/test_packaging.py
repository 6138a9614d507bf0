"""A non-editable wheel carries the seeds and resources, and the installed app finds them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(ROOT)], check=True, timeout=300, capture_output=True)
    [built] = out.glob("annotator-*.whl")
    return built


def test_wheel_contains_seeds_and_resources(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    seeds = sorted(n for n in names if n.startswith("annotator/seeds/"))
    assert [Path(n).name for n in seeds] == sorted(p.name for p in (ROOT / "seeds").iterdir())
    assert "annotator/resources/annotator.svg" in names
    assert "annotator/resources/annotator.desktop" in names
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)


def test_installed_wheel_finds_its_data(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, timeout=300, capture_output=True)
    code = ("import annotator.core.paths as p, sys; "
            "print(p.seeds_dir()); print(p.resources_dir()); print(len(list(p.seeds_dir().glob('*.txt'))))")
    env = dict(os.environ, PYTHONPATH=str(target))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path,
                            timeout=60, check=True)
    seeds, resources, count = result.stdout.split()
    assert seeds.startswith(str(target)) and resources.startswith(str(target))
    assert count == "5"
