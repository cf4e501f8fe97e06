"""Write-back on real repositories: what gets committed, hooks, signing, branches."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest_writeback import CONTRACT, SEED, edited, git, head, make_repo, write_hook

from workbench.core.git.writeback import (
    HeadMovedError,
    HookRejectedError,
    NothingToCommitError,
    RefusedError,
    commit_contract_edit,
    sha256_hex,
)


def _commit(repo: Path, new: bytes | None = None, **kw: object):
    data = (repo / CONTRACT).read_bytes()
    kw.setdefault("message", "Relax tier_2 p95 latency SLO")
    return commit_contract_edit(
        repo, CONTRACT, edited(data) if new is None else new, expected_sha256=sha256_hex(data), **kw
    )


def test_commits_only_the_contract_and_other_staged_work_stays_staged(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    before = head(repo)
    (repo / "README.md").write_text("staged work\n")
    git(repo, "add", "README.md")
    (repo / "notes.txt").write_text("untracked\n")

    result = _commit(repo)

    assert result.parent == before and result.commit == head(repo) and result.branch == "main"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [CONTRACT]
    assert git(repo, "show", f"HEAD:{CONTRACT}").encode() == edited()
    assert git(repo, "log", "-1", "--format=%B", "HEAD").strip() == "Relax tier_2 p95 latency SLO"
    # README is still staged (index differs from HEAD), and nothing else is.
    assert git(repo, "diff", "--cached", "--name-only").split() == ["README.md"]
    assert git(repo, "diff", "--name-only").split() == []
    assert (repo / "notes.txt").exists()
    assert not result.rewritten_by_hook and result.worktree_matches_commit and not result.signed
    assert result.committed_blob == result.written_blob


def test_multiline_message_and_file_mode_kept(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / CONTRACT).chmod(0o600)
    _commit(repo, message="Subject line\n\n- change one\n- change two\n")
    assert git(repo, "log", "-1", "--format=%B").strip().splitlines() == [
        "Subject line",
        "",
        "- change one",
        "- change two",
    ]
    assert (repo / CONTRACT).stat().st_mode & 0o777 == 0o600


def test_failing_pre_commit_hook_leaves_file_edited_and_nothing_else(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    before = head(repo)
    (repo / "README.md").write_text("staged work\n")
    git(repo, "add", "README.md")
    index_before = git(repo, "ls-files", "-s")
    write_hook(repo, "pre-commit", 'echo "policy-lint: tier_2 latency needs a ticket"\nexit 1\n')

    with pytest.raises(HookRejectedError) as info:
        _commit(repo)

    assert "policy-lint: tier_2 latency needs a ticket" in info.value.output
    assert "hook" in str(info.value)
    assert head(repo) == before
    assert (repo / CONTRACT).read_bytes() == edited()  # the edit is kept on disk
    assert git(repo, "ls-files", "-s") == index_before  # index untouched
    assert git(repo, "diff", "--cached", "--name-only").split() == ["README.md"]
    assert git(repo, "symbolic-ref", "HEAD").strip() == "refs/heads/main"


def test_failing_commit_msg_hook(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    write_hook(repo, "commit-msg", 'echo "message must reference a ticket" >&2\nexit 1\n')
    with pytest.raises(HookRejectedError) as info:
        _commit(repo)
    assert "message must reference a ticket" in info.value.output


def test_hook_that_rewrites_the_file_is_reported(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    write_hook(
        repo,
        "pre-commit",
        f"sed -i 's/tier_2: 4000/tier_2: 4500/' {CONTRACT}\ngit add {CONTRACT}\necho formatted\n",
    )
    result = _commit(repo)
    assert result.rewritten_by_hook
    assert result.committed_blob != result.written_blob
    assert b"tier_2: 4500" in git(repo, "show", f"HEAD:{CONTRACT}").encode()
    assert "formatted" in result.hook_output
    assert result.worktree_matches_commit
    # git leaves our pre-hook version in the real index; we line it up with HEAD.
    assert git(repo, "status", "--porcelain") == ""


def test_hook_that_rewrites_without_staging(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    write_hook(repo, "pre-commit", f"echo '# touched' >> {CONTRACT}\n")
    result = _commit(repo)
    assert not result.rewritten_by_hook  # the commit holds what we wrote...
    assert not result.worktree_matches_commit  # ...but the hook changed the file after


FAKE_GPG = """#!/bin/sh
# Stands in for gpg: git runs `PROG --status-fd=2 -bsau KEY` with the payload on stdin.
cat > /dev/null
printf '\\n[GNUPG:] SIG_CREATED D 1 8 00 1700000000 FAKEKEY\\n' >&2
printf -- '-----BEGIN PGP SIGNATURE-----\\n\\nZmFrZS1zaWduYXR1cmU=\\n-----END PGP SIGNATURE-----\\n'
"""


def test_commit_gpgsign_is_honoured(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    prog = tmp_path / "fake-gpg"
    prog.write_text(FAKE_GPG)
    prog.chmod(0o755)
    git(repo, "config", "gpg.program", str(prog))
    git(repo, "config", "commit.gpgsign", "true")
    result = _commit(repo)
    assert result.signed
    raw = git(repo, "cat-file", "commit", "HEAD")
    assert "gpgsig -----BEGIN PGP SIGNATURE-----" in raw and "ZmFrZS1zaWduYXR1cmU=" in raw


def test_signing_failure_is_a_rejection(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    prog = tmp_path / "broken-gpg"
    prog.write_text("#!/bin/sh\necho 'no secret key' >&2\nexit 2\n")
    prog.chmod(0o755)
    git(repo, "config", "gpg.program", str(prog))
    git(repo, "config", "commit.gpgsign", "true")
    before = head(repo)
    with pytest.raises(HookRejectedError) as info:
        _commit(repo)
    assert "signing" in str(info.value)
    assert head(repo) == before


def test_new_branch_is_created_and_checked_out(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    before = head(repo)
    result = _commit(repo, branch="contract/relax-tier-2")
    assert result.created_branch and result.branch == "contract/relax-tier-2"
    assert git(repo, "symbolic-ref", "--short", "HEAD").strip() == "contract/relax-tier-2"
    assert git(repo, "rev-parse", "main").strip() == before
    assert git(repo, "rev-parse", "HEAD~1").strip() == before


def test_new_branch_rolled_back_when_hook_rejects(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    write_hook(repo, "pre-commit", "exit 1\n")
    with pytest.raises(HookRejectedError):
        _commit(repo, branch="attempt")
    assert git(repo, "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    assert git(repo, "branch", "--list", "attempt").strip() == ""


@pytest.mark.parametrize(
    "name",
    ["main", "bad..name", "-x", "has space", "ends.lock", "", "@", "HEAD", "@{-1}", "refs/heads/x"],
)
def test_bad_or_existing_branch_refused(tmp_path: Path, name: str) -> None:
    repo = make_repo(tmp_path)
    with pytest.raises(RefusedError):
        _commit(repo, branch=name)
    assert (repo / CONTRACT).read_bytes() == SEED


def test_nothing_to_commit(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    with pytest.raises(NothingToCommitError):
        _commit(repo, new=SEED)


def test_empty_message_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    with pytest.raises(RefusedError):
        _commit(repo, message="  \n")
    assert (repo / CONTRACT).read_bytes() == SEED


def test_path_with_glob_characters_commits_only_itself(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, relpath="c[ab].yml")
    (repo / "ca.yml").write_bytes(b"other: 1\n")
    git(repo, "add", "ca.yml")
    data = (repo / "c[ab].yml").read_bytes()
    commit_contract_edit(
        repo, "c[ab].yml", edited(data), expected_sha256=sha256_hex(data), message="m"
    )
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["c[ab].yml"]
    assert git(repo, "diff", "--cached", "--name-only").split() == ["ca.yml"]


def test_contract_in_subfolder(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, relpath="contracts/ai-platform.yml")
    data = (repo / "contracts/ai-platform.yml").read_bytes()
    result = commit_contract_edit(
        repo,
        "contracts/ai-platform.yml",
        edited(data),
        expected_sha256=sha256_hex(data),
        message="m",
    )
    assert result.commit == head(repo)


def test_head_moved_by_someone_else_is_reported(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    before = head(repo)
    # Another commit lands right after ours (here: from a post-commit hook).
    write_hook(
        repo,
        "post-commit",
        "[ -e .git/sneaked ] && exit 0\ntouch .git/sneaked\ngit commit -q --allow-empty -m sneaky\n",
    )
    with pytest.raises(HeadMovedError, match="HEAD moved during the commit"):
        _commit(repo)
    assert git(repo, "rev-parse", "HEAD~2").strip() == before


def test_crlf_file_with_autocrlf_is_not_reported_as_rewritten(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    git(repo, "config", "core.autocrlf", "true")
    (repo / CONTRACT).unlink()
    git(repo, "checkout", "--", CONTRACT)  # now checked out with CRLF line ends
    data = (repo / CONTRACT).read_bytes()
    assert b"\r\n" in data
    result = commit_contract_edit(
        repo, CONTRACT, edited(data), expected_sha256=sha256_hex(data), message="m"
    )
    assert not result.rewritten_by_hook and result.worktree_matches_commit
    assert b"\r\n" not in git(repo, "show", f"HEAD:{CONTRACT}").encode()
    assert git(repo, "status", "--porcelain") == ""
