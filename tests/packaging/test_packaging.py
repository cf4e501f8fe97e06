"""The wheel must ship every package and the bundled styles and sample contracts."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_python_package_is_listed_in_pyproject() -> None:
    listed = set(_config()["tool"]["setuptools"]["packages"])
    found = {
        ".".join(folder.relative_to(ROOT).parts)
        for folder in (ROOT / "workbench").rglob("*")
        if folder.is_dir() and "__pycache__" not in folder.parts and any(folder.glob("*.py"))
    } | {"workbench"}
    missing = sorted(found - listed)
    assert not missing, f"add these packages to [tool.setuptools] packages: {missing}"


def test_resource_folders_are_mapped_into_the_package() -> None:
    config = _config()["tool"]["setuptools"]
    mapping = config["package-dir"]
    assert mapping["workbench.styles"] == "styles"
    assert mapping["workbench.sample_contracts"] == "sample_contracts"
    for folder in (ROOT / "sample_contracts").rglob("*"):
        if folder.is_dir() and any(folder.iterdir()):
            name = "workbench." + ".".join(folder.relative_to(ROOT).parts)
            assert name in config["packages"], f"{folder} is not shipped: add {name}"
            assert name in mapping, f"map {name} in [tool.setuptools.package-dir]"


def test_every_resource_file_is_shipped() -> None:
    from fnmatch import fnmatch

    config = _config()["tool"]["setuptools"]
    patterns = config["package-data"]
    for package, folder in config["package-dir"].items():
        for path in (ROOT / folder).iterdir():
            if path.is_file():
                shipped = any(fnmatch(path.name, p) for p in patterns.get(package, []))
                assert shipped, f"{path} is not matched by package-data of {package}"
