"""`workbench textconv FILE`: a git diff driver for contracts.

Textconv (the documented setup, see docs/git-diff-driver.md): git runs
`workbench textconv FILE` on each side and diffs the outputs, so `git diff`,
`git log -p` and `git show` show one fact per line, lists as sets, tiers
with their SLO and cost cap.

External diff: called with git's seven (or nine) `GIT_EXTERNAL_DIFF`
arguments (`path old-file old-hex old-mode new-file new-hex new-mode
[new-path info]`), it prints the full semantic diff with levels and
sign-off instead. Either way it exits 0: a failing driver makes git abort.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from workbench.commands.common import fail

if TYPE_CHECKING:
    from workbench.core.yaml_safe import ParsedYaml


def _write(text: str) -> None:
    # bytes, so the output is UTF-8 whatever the locale git runs us under
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def _read(path: str) -> bytes:
    if path == "/dev/null":
        return b""
    return Path(path).read_bytes()


def _raw_version(parsed: ParsedYaml) -> str | None:
    node = parsed.nodes.get(("version",))
    return node.raw if node is not None and node.kind == "scalar" else None


def _external(args: tuple[str, ...]) -> str:
    """The semantic diff of two blobs handed over by git as an external diff driver."""
    from workbench.core.diff.engine import diff_contracts
    from workbench.core.diff.levels import DiffConfigError, load_overrides
    from workbench.core.diff.render import plain_text
    from workbench.core.diff.textconv import semantic_view
    from workbench.core.yaml_safe import parse_yaml

    name, old_file, new_file = args[0], args[1], args[4]
    new_name = args[7] if len(args) >= 9 else name
    old_raw, new_raw = _read(old_file), _read(new_file)
    header = f"workbench diff a/{name} b/{new_name}\n"
    old_parsed, new_parsed = parse_yaml(old_raw), parse_yaml(new_raw)
    old = old_parsed.data if old_raw.strip() else {}
    new = new_parsed.data if new_raw.strip() else {}
    if not (isinstance(old, dict) and isinstance(new, dict)):
        # one side is not a readable contract: a line diff of the views still helps
        lines = difflib.unified_diff(
            semantic_view(old_raw).splitlines(keepends=True),
            semantic_view(new_raw).splitlines(keepends=True),
            f"a/{name}",
            f"b/{new_name}",
        )
        return header + "".join(lines)
    notice = ""
    try:
        overrides = load_overrides(Path.cwd() / ".workbench.toml")  # git runs us at the top
    except DiffConfigError as exc:
        overrides, notice = {}, f"(level overrides ignored: {exc})\n"
    result = diff_contracts(
        old,
        new,
        overrides=overrides,
        old_version_text=_raw_version(old_parsed),
        new_version_text=_raw_version(new_parsed),
    )
    return header + notice + plain_text(result, f"a/{name}", f"b/{new_name}")


@click.command("textconv")
@click.argument("args", nargs=-1, required=True, metavar="FILE")
def command(args: tuple[str, ...]) -> None:
    """Git diff driver: print a normalised, semantic view of a contract file.

    Set up once per repository:

    \b
      echo '*.yml diff=workbench' >> .gitattributes
      git config diff.workbench.textconv "workbench textconv"

    Then `git diff` and `git log -p` show meaningful changes. With git's
    seven external-diff arguments (diff.workbench.command) it prints the
    semantic diff with levels instead.
    """
    if len(args) in (7, 9):
        try:
            _write(_external(args))
        except OSError as exc:
            _write(f"workbench: cannot read a side of {args[0]}: {exc.strerror or exc}\n")
        return
    if len(args) != 1:
        fail("expected one FILE (textconv) or git's seven external-diff arguments")
    from workbench.core.diff.textconv import semantic_view

    try:
        raw = _read(args[0])
    except OSError as exc:
        fail(f"cannot read {args[0]}: {exc.strerror or exc}")
    _write(semantic_view(raw))
