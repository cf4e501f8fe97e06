"""Shared fixtures: real temporary git repositories and the bundled contracts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from gitutil import git

from workbench.core.resources import resource_dir

SEED_NAME = "ai-internal-developer-contract.yml"


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No inherited colour switches or git redirections leak into a test."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def seed_text() -> str:
    """The seed article's contract, exactly as printed."""
    return (resource_dir("sample_contracts") / SEED_NAME).read_text(encoding="utf-8")


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., Path]:
    """Create a real git repo (branch main, a test identity) under tmp_path."""

    def create(name: str = "repo") -> Path:
        repo = tmp_path / name
        repo.mkdir()
        git(repo, "init", "-q", "-b", "main")
        git(repo, "config", "user.name", "Test User")
        git(repo, "config", "user.email", "test@example.com")
        git(repo, "config", "commit.gpgsign", "false")
        return repo

    return create


@pytest.fixture
def seed_repo(make_repo: Callable[..., Path], seed_text: str) -> Path:
    """A repo whose one commit holds the seed's contract."""
    repo = make_repo()
    (repo / SEED_NAME).write_text(seed_text, encoding="utf-8")
    git(repo, "add", SEED_NAME)
    git(repo, "commit", "-q", "-m", "Add the AI platform contract")
    return repo
