"""Helpers for the history tests: a real repository with a small contract story."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gitutil import git

SEED = (
    Path(__file__).resolve().parents[2] / "sample_contracts" / "ai-internal-developer-contract.yml"
).read_text()


def init_repo(repo: Path) -> Path:
    """An empty repository on `main` with a test identity."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test User")
    git(repo, "config", "user.email", "test@example.com")
    git(repo, "config", "commit.gpgsign", "false")
    return repo


def commit_file(
    repo: Path, relpath: str, text: str, message: str, *, author: str = "Test User"
) -> str:
    """Write, add and commit one file; return the new commit's hash."""
    path = repo / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    git(repo, "add", "--", relpath)
    git(
        repo,
        "commit",
        "-q",
        "-m",
        message,
        "--author",
        f"{author} <{author.split()[0].lower()}@example.com>",
    )
    return git(repo, "rev-parse", "HEAD").strip()


@dataclass
class Story:
    """A repository whose contract went through five versions, one of them broken."""

    repo: Path
    path: str  # the contract's current name
    old_path: str  # its name before the rename
    commits: list[str] = field(default_factory=list)  # oldest first (contract commits only)


def build_story(root: Path) -> Story:
    """v1.0 → p95 tier_2 3500→3200 → broken YAML → fixed (tier_2 3000) → renamed; plus unrelated commits."""
    repo = init_repo(root / "story")
    old, new = "contract.yml", "contracts/ai-contract.yml"
    story = Story(repo, new, old)
    story.commits.append(commit_file(repo, old, SEED, "Add the contract", author="Ada Lovelace"))
    git(repo, "tag", "-a", "-m", "first review", "review/2025-Q1")
    commit_file(repo, "README.md", "hello\n", "Unrelated: readme")
    v2 = SEED.replace("version: 1.0", "version: 1.1").replace("tier_2: 3500", "tier_2: 3200")
    story.commits.append(
        commit_file(repo, old, v2, "Tighten tier_2 latency", author="Grace Hopper")
    )
    commit_file(repo, "src/app.txt", "x\n", "Unrelated: app")
    broken = v2.replace("version: 1.1", "version: 1.2").replace("  tier_2:\n", "  tier_2\n", 1)
    story.commits.append(commit_file(repo, old, broken, "Half-finished edit", author="Alan Turing"))
    v4 = v2.replace("version: 1.1", "version: 1.3").replace("tier_2: 3200", "tier_2: 3000")
    story.commits.append(commit_file(repo, old, v4, "Fix the broken edit", author="Ada Lovelace"))
    (repo / "contracts").mkdir(exist_ok=True)
    git(repo, "mv", old, new)
    git(repo, "commit", "-q", "-m", "Move the contract into contracts/")
    story.commits.append(git(repo, "rev-parse", "HEAD").strip())
    git(repo, "tag", "v-light")
    return story
