"""Helpers for the write-back tests: real repositories built with real git."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SEED_PATH = (
    Path(__file__).resolve().parents[2] / "sample_contracts" / "ai-internal-developer-contract.yml"
)
SEED = SEED_PATH.read_bytes()
CONTRACT = "ai-internal-developer-contract.yml"


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Our environment without inherited GIT_* variables (plus `extra`)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_TERMINAL_PROMPT"] = "0"
    env.update(extra or {})
    return env


def git(repo: Path, *args: str, check: bool = True, env: dict[str, str] | None = None) -> str:
    """Run git in `repo`; return stdout as text."""
    proc = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, env=clean_env(env), check=False
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr.decode()}")
    return proc.stdout.decode("utf-8", "replace")


def make_repo(root: Path, *, contract: bytes = SEED, relpath: str = CONTRACT) -> Path:
    """A repository with the seed contract and a README committed on `main`."""
    repo = root / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test Person")
    git(repo, "config", "user.email", "test@example.com")
    git(repo, "config", "commit.gpgsign", "false")
    target = repo / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(contract)
    (repo / "README.md").write_text("readme\n")
    git(repo, "add", "--", relpath, "README.md")
    git(repo, "commit", "-q", "-m", "initial contract")
    return repo


def edited(data: bytes = SEED) -> bytes:
    """The seed with tier_2's p95 latency SLO relaxed from 3500 to 4000 ms."""
    assert data.count(b"tier_2: 3500") == 1
    return data.replace(b"tier_2: 3500", b"tier_2: 4000")


def head(repo: Path) -> str:
    """The full hash of HEAD."""
    return git(repo, "rev-parse", "HEAD").strip()


def write_hook(repo: Path, name: str, body: str) -> Path:
    """Install an executable hook script."""
    hooks = Path(git(repo, "rev-parse", "--absolute-git-dir").strip()) / "hooks"
    hooks.mkdir(exist_ok=True)
    hook = hooks / name
    hook.write_text("#!/bin/sh\n" + body)
    hook.chmod(0o755)
    return hook
