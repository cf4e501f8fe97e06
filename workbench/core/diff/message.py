"""Commit messages generated from a semantic diff (used by the write-back)."""

from __future__ import annotations

from workbench.core.diff.engine import DiffResult

SUBJECT_LIMIT = 72


def commit_message(result: DiffResult, *, subject_prefix: str = "") -> str:
    """Subject naming the main change, a blank line, one line per change, the bump.

    ```
    tier_2: approved model 'balanced' removed (+2 more)

    - [breaking] tier_2: approved model 'balanced' removed (sign-off: platform)
    - [warning] tier_2 p95 latency SLO 3500 ms → 4000 ms (+14.3 %), relaxed (sign-off: platform)

    Version: 1.0 → 2.0 (suggested bump: major)
    ```
    """
    main = result.main_change()
    if main is None:
        subject = "contract: no semantic change"
    else:
        others = len(result.changes) - 1
        suffix = f" (+{others} more)" if others else ""
        subject = _shorten(subject_prefix + main.message, SUBJECT_LIMIT - len(suffix)) + suffix
    lines = [subject]
    if result.changes:
        counts = result.counts()
        summary = ", ".join(f"{n} {level}" for level, n in counts.items() if n)
        lines += ["", f"Semantic changes ({summary}):"]
        lines += [
            f"- [{c.level}] {c.message} (sign-off: {c.sign_off}; {c.rule})" for c in result.changes
        ]
    lines += ["", _version_line(result)]
    return "\n".join(lines) + "\n"


def _version_line(result: DiffResult) -> str:
    old, new = result.base_version, result.target_version
    if old == new:
        return f"Version: {new or '(none)'} unchanged (suggested bump: {result.suggested_bump})"
    return (
        f"Version: {old or '(none)'} → {new or '(none)'} (suggested bump: {result.suggested_bump})"
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"
