"""The demo repository: two years of the seed's contract, replayed as real git history.

The story is data (`sample_contracts/demo/story.json` and the complete
contract versions `vNN.yml` beside it): each step writes a version, may copy
a bundled sample (`models.yml`, `workload.yml`), append text to a file,
replace text in a file (each old text must occur exactly once) or rename
files, then commits with a fixed author and date; some steps are tagged for a
quarterly review. Fixed dates and identities make the build reproducible: the
same bundled files give the same commit hashes.

The finished repository has git's semantic diff driver set up: the story
commits a `.gitattributes` that marks the contract `diff=workbench`, and the
repo's own config says how to run it (`<this python> -m workbench textconv`),
so `git log -p` speaks in contract terms without the console script on PATH.
"""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from workbench.core.git.runner import GitError, run_git
from workbench.core.resources import resource_dir
from workbench.core.yaml_safe import parse_yaml

DEMO_CONTRACT = "contracts/ai-platform.yml"  # where the contract ends up
DEMO_BRANCH = "main"
# Used only when git has no identity for the user, so commits in the demo work.
FALLBACK_IDENTITY = ("Demo User", "demo.user@example.com")

README = """# Contract Workbench demo

Two years of an AI platform team's internal developer contract
(`contracts/ai-platform.yml`, first committed as `ai-internal-developer-contract.yml`),
reviewed every quarter (tags `review/YYYY-QN`).

Things to try here:

    workbench log                                  # the story, newest first
    workbench show review/2025-Q1                  # the contract as it was
    workbench diff review/2025-Q3 review/2026-Q3   # what changed in a year, who signs off
    workbench simulate                             # cost and latency under normal and peak load
    workbench set contracts/ai-platform.yml reliability.p95_latency_ms.tier_2=4500 --commit --bump auto
    git log -p contracts/ai-platform.yml           # git diffs in contract terms (.gitattributes)
    workbench                                      # the app
"""
# The diff driver command git runs for `diff=workbench` files (docs/git-diff-driver.md).
TEXTCONV_DRIVER = "diff.workbench.textconv"


class DemoError(Exception):
    """The demo repository could not be built; the message says why."""


@dataclass(frozen=True)
class Step:
    """One commit of the story."""

    date: str  # ISO 8601 with offset
    author: tuple[str, str]  # (name, email)
    subject: str
    body: str = ""
    contract: str | None = None  # version file to write at `path`
    path: str | None = None  # the contract's path from this step on
    copy: dict[str, str] = field(default_factory=dict)  # repo path -> bundled sample name
    append: dict[str, str] = field(default_factory=dict)  # repo path -> text to append
    # repo path -> [(old, new)]: edits of a file, each old text present exactly once
    replace: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    rename: list[tuple[str, str]] = field(default_factory=list)
    tags: list[dict[str, str]] = field(default_factory=list)  # {name, by, message}


@dataclass(frozen=True)
class Story:
    """The whole demo history."""

    authors: dict[str, tuple[str, str]]
    steps: list[Step]


def _identity(text: str) -> tuple[str, str]:
    name, _, rest = text.partition("<")
    if not rest.endswith(">") or not name.strip():
        raise DemoError(f"bad identity {text!r} in the demo story (want 'Name <email>')")
    return name.strip(), rest[:-1]


def _safe_relpath(text: str) -> str:
    parts = PurePosixPath(text).parts
    if not parts or text.startswith("/") or ".." in parts or "\\" in text:
        raise DemoError(f"bad path {text!r} in the demo story")
    return text


def story_dir() -> Path:
    """The bundled folder holding story.json and the contract versions."""
    return resource_dir("sample_contracts") / "demo"


def load_story(folder: Path | None = None) -> Story:
    """Read and check `story.json` (bundled by default)."""
    folder = folder or story_dir()
    try:
        raw: dict[str, Any] = json.loads((folder / "story.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DemoError(f"cannot read the demo story in {folder}: {exc}") from None
    authors = {key: _identity(value) for key, value in raw["authors"].items()}
    steps: list[Step] = []
    for item in raw["steps"]:
        who = item["author"]
        if who not in authors:
            raise DemoError(f"unknown author {who!r} in the demo story")
        for tag in item.get("tags", []):
            if tag["by"] not in authors:
                raise DemoError(f"unknown tagger {tag['by']!r} in the demo story")
        steps.append(
            Step(
                date=item["date"],
                author=authors[who],
                subject=item["subject"],
                body=item.get("body", ""),
                contract=item.get("contract"),
                path=_safe_relpath(item["path"]) if "path" in item else None,
                copy={_safe_relpath(k): v for k, v in item.get("copy", {}).items()},
                append={_safe_relpath(k): v for k, v in item.get("append", {}).items()},
                replace={
                    _safe_relpath(k): [(old, new) for old, new in pairs]
                    for k, pairs in item.get("replace", {}).items()
                },
                rename=[(_safe_relpath(a), _safe_relpath(b)) for a, b in item.get("rename", [])],
                tags=list(item.get("tags", [])),
            )
        )
    if not steps or steps[0].path is None:
        raise DemoError("the demo story must start by naming the contract's path")
    return Story(authors, steps)


def _run(repo: Path, args: list[str], env: dict[str, str] | None = None) -> str:
    """git with our safe environment plus `env` (dates and identities)."""
    cmd = ["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"]
    # An empty hooks folder: the user's global hooks must not run on our story.
    cmd += ["-c", f"core.hooksPath={repo / '.git' / 'no-hooks'}", *args]
    try:
        proc = run_git(repo, cmd, read_only=False, extra_env=env)
    except GitError as exc:
        raise GitError(f"{exc} (while building the demo)") from None
    return proc.stdout.decode("utf-8", "replace")


def _dated(
    who: tuple[str, str], date: str, *, author: tuple[str, str] | None = None
) -> dict[str, str]:
    author = author or who
    return {
        "GIT_AUTHOR_NAME": author[0],
        "GIT_AUTHOR_EMAIL": author[1],
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_NAME": who[0],
        "GIT_COMMITTER_EMAIL": who[1],
        "GIT_COMMITTER_DATE": date,
    }


def _prepare_dest(dest: Path) -> bool:
    """Make sure `dest` is a new or empty folder; True when we created it."""
    if dest.exists():
        if not dest.is_dir() or any(dest.iterdir()):
            raise DemoError(f"{dest} already exists and is not an empty folder; pick another place")
        return False
    dest.mkdir(parents=True)
    return True


def build_demo_repo(dest: Path, *, story: Story | None = None) -> Path:
    """Build the demo repository in `dest` (new or empty); return its root.

    The contract ends at `DEMO_CONTRACT`. Raises DemoError when `dest` is
    not usable, GitError when git fails (the half-built folder is removed if
    we created it).
    """
    dest = Path(dest)
    story = story or load_story()
    versions = story_dir()
    samples = resource_dir("sample_contracts")
    created = _prepare_dest(dest)
    try:
        _run(dest, ["init", "-q", "--template=", "-b", DEMO_BRANCH])
        (dest / ".git" / "no-hooks").mkdir()
        _write(dest, "README.md", README.encode("utf-8"))
        _run(dest, ["add", "--", "README.md"])
        contract_path = story.steps[0].path
        for step in story.steps:
            for old, new in step.rename:
                (dest / new).parent.mkdir(parents=True, exist_ok=True)
                _run(dest, ["mv", "--", old, new])
            contract_path = step.path or contract_path
            touched: list[str] = []
            if step.contract is not None:
                assert contract_path is not None
                _write(dest, contract_path, (versions / step.contract).read_bytes())
                touched.append(contract_path)
            for target, sample in step.copy.items():
                _write(dest, target, (samples / sample).read_bytes())
                touched.append(target)
            for target, text in step.append.items():
                _append(dest, target, text)
                touched.append(target)
            for target, pairs in step.replace.items():
                _replace(dest, target, pairs)
                touched.append(target)
            if touched:
                _run(dest, ["add", "--", *touched])
            message = step.subject + ("\n\n" + step.body if step.body else "") + "\n"
            _run(dest, ["commit", "-q", "-m", message], _dated(step.author, step.date))
            for tag in step.tags:
                tagger = story.authors[tag["by"]]
                _run(
                    dest,
                    ["tag", "-a", "-m", tag["message"], "--", tag["name"]],
                    _dated(tagger, step.date),
                )
        _ensure_identity(dest)
        _run(dest, ["config", TEXTCONV_DRIVER, textconv_command()])
    except BaseException:
        if created:
            shutil.rmtree(dest, ignore_errors=True)
        raise
    return dest


def _write(repo: Path, relpath: str, data: bytes) -> None:
    path = repo / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _append(repo: Path, relpath: str, text: str) -> None:
    path = repo / relpath
    current = path.read_bytes()
    if current and not current.endswith(b"\n"):
        current += b"\n"
    path.write_bytes(current + text.encode("utf-8"))
    _check_yaml(path, relpath, "appending to")


def _replace(repo: Path, relpath: str, pairs: list[tuple[str, str]]) -> None:
    path = repo / relpath
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        # Exactly once: a story edit that no longer matches the bundled sample
        # must fail the build, not silently do nothing (or too much).
        if text.count(old) != 1:
            raise DemoError(
                f"the demo story edits {relpath}, but {old!r} occurs "
                f"{text.count(old)} times there (want exactly once)"
            )
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8", newline="")
    _check_yaml(path, relpath, "editing")


def _check_yaml(path: Path, relpath: str, action: str) -> None:
    # The bundled sample may have changed shape since the story was written.
    if relpath.endswith((".yml", ".yaml")) and parse_yaml(path.read_bytes()).data is None:
        raise DemoError(f"{action} {relpath} in the demo story broke its YAML")


def textconv_command() -> str:
    """The shell command git runs as the demo's diff driver: this Python, `-m workbench`.

    It does not rely on a `workbench` console script being on PATH.
    """
    return f"{shlex.quote(sys.executable)} -m workbench textconv"


def _ensure_identity(repo: Path) -> None:
    """Give the demo repo an identity only when git has none for this user."""
    probe = run_git(repo, ["var", "GIT_COMMITTER_IDENT"], check=False)
    if probe.returncode != 0:
        _run(repo, ["config", "user.name", FALLBACK_IDENTITY[0]])
        _run(repo, ["config", "user.email", FALLBACK_IDENTITY[1]])
