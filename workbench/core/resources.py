"""Where bundled resources (sample contracts, styles) live.

In an installed wheel `sample_contracts/` and `styles/` are mapped inside the
package (`workbench/sample_contracts`); in a source checkout they sit at the top
of the repository, beside the package. Look in both, package first.
"""

from __future__ import annotations

from pathlib import Path

import workbench


def resource_dir(name: str) -> Path:
    """The directory of bundled resource `name` (e.g. "sample_contracts", "styles").

    Raises FileNotFoundError when neither the installed nor the source-tree
    location exists, naming both places that were looked at.
    """
    if not name or "/" in name or "\\" in name or name in {".", ".."}:
        raise ValueError(f"not a resource name: {name!r}")
    package = Path(workbench.__file__).resolve().parent
    candidates = (package / name, package.parent / name)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    looked = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"bundled resource {name!r} not found (looked in {looked})")
