"""The git layer against odd repositories and hostile input (real git, real repos).

Each case found a real failure: merges and user config that hid versions, a
revision or path too long for the OS, a FIFO planted as the cache, commits
bound to fail only after the file was written, and branch names that shadow
git's own refs.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from core.conftest_writeback import CONTRACT, SEED, edited, git, head, make_repo, write_hook

from workbench.core.atomic import sha256_of
from workbench.core.git.cache import RepoCaches
from workbench.core.git.history import History
from workbench.core.git.runner import GitError, RevisionError, resolve_revision, run_git
from workbench.core.git.writeback import RefusedError, commit_contract_edit


def _versions(repo: Path, relpath: str = CONTRACT) -> list[tuple[str, str]]:
    return [(v.subject, v.contract_version or "") for v in History(repo).list_versions(relpath)]


def _commit(repo: Path, relpath: str, data: bytes, message: str) -> None:
    (repo / relpath).write_bytes(data)
    git(repo, "commit", "-q", "-am", message)


# -- history ----------------------------------------------------------------


def test_merge_that_changes_the_contract_is_a_version(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    git(repo, "switch", "-q", "-c", "feat")
    _commit(repo, CONTRACT, SEED.replace(b"version: 1.0", b"version: 1.1"), "feat: bump")
    git(repo, "switch", "-q", "main")
    _commit(repo, CONTRACT, SEED + b"# main note\n", "main: note")
    git(repo, "merge", "-q", "--no-edit", "feat")
    versions = History(repo).list_versions(CONTRACT)
    # the newest version is HEAD's merged file, not the last single-parent commit
    assert versions[0].commit == head(repo)
    assert versions[0].blob == git(repo, "rev-parse", f"HEAD:{CONTRACT}").strip()
    assert versions[0].contract_version == "1.1"
    assert {v.subject for v in versions} >= {"feat: bump", "main: note", "initial contract"}


def test_merge_that_keeps_first_parent_file_is_not_a_version(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    git(repo, "switch", "-q", "-c", "feat")
    (repo / "other.txt").write_text("x\n")
    git(repo, "add", "other.txt")
    git(repo, "commit", "-q", "-m", "feat: unrelated")
    git(repo, "switch", "-q", "main")
    _commit(repo, CONTRACT, SEED + b"# note\n", "main: note")
    git(repo, "merge", "-q", "--no-edit", "feat")
    assert [s for s, _ in _versions(repo)] == ["main: note", "initial contract"]


def test_user_log_config_does_not_hide_or_mangle_versions(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    git(repo, "config", "user.name", "Tomás Ökafor")
    (repo / "other.yml").write_text("a: 1\n")
    git(repo, "add", "other.yml")
    git(repo, "commit", "-q", "-m", "other")
    # an inexact rename of the contract next to another rename
    (repo / "d").mkdir()
    git(repo, "mv", CONTRACT, f"d/{CONTRACT}")
    git(repo, "mv", "other.yml", "d/other.yml")
    (repo / "d" / CONTRACT).write_bytes(SEED + b"# moved\n")
    (repo / "d" / "other.yml").write_text("a: 2\n")
    git(repo, "commit", "-q", "-am", "move")
    for key, value in (
        ("log.showRoot", "false"),
        ("diff.renameLimit", "1"),
        ("i18n.logOutputEncoding", "ISO-8859-1"),
    ):
        git(repo, "config", key, value)
    versions = History(repo).list_versions(f"d/{CONTRACT}")
    assert [v.subject for v in versions] == ["move", "initial contract"]
    assert versions[0].status == "R" and versions[1].blob is not None
    assert versions[0].author == "Tomás Ökafor"
    info = History(repo).commit_info(versions[0].commit)
    assert info.author == "Tomás Ökafor"


def test_fifo_planted_as_cache_is_ignored_not_waited_on(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    History(repo).list_versions(CONTRACT)  # writes the cache
    cache = Path(git(repo, "rev-parse", "--git-common-dir").strip())
    summaries = (repo / cache if not cache.is_absolute() else cache) / "workbench" / "cache"
    target = summaries / "summaries.json"
    target.unlink()
    os.mkfifo(target)
    done: list[int] = []
    worker = threading.Thread(
        target=lambda: done.append(len(History(repo).list_versions(CONTRACT))), daemon=True
    )
    worker.start()
    worker.join(timeout=20)
    if not done:  # unblock the reader so the thread can end
        fd = os.open(target, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
    assert done == [1]
    caches = RepoCaches(repo, where=(summaries, True))
    assert caches.summaries.get("0" * 40) is None


# -- revisions ----------------------------------------------------------------


def test_revision_spellings_resolve_or_say_why(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    first = head(repo)
    _commit(repo, CONTRACT, edited(), "Relax tier_2 latency")
    assert resolve_revision(repo, ":/initial contract") == first
    assert resolve_revision(repo, "HEAD@{1}") == first
    with pytest.raises(RevisionError, match="names a blob, not a commit"):
        resolve_revision(repo, f"HEAD:{CONTRACT}")
    with pytest.raises(RevisionError, match="names a tree"):
        resolve_revision(repo, "HEAD^{tree}")
    for text in ("HEAD~1..HEAD", "HEAD...HEAD~1", "^HEAD", "HEAD^!"):
        with pytest.raises(RevisionError, match="range"):
            resolve_revision(repo, text)
    with pytest.raises(RevisionError, match="unknown revision"):
        resolve_revision(repo, "$(touch pwned)")
    assert not (repo / "pwned").exists()


def test_overlong_revision_and_argument_are_errors_not_crashes(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    with pytest.raises(RevisionError, match=r"\(200000 chars\) is too long"):
        resolve_revision(repo, "a" * 200_000)
    # an argument the OS refuses (E2BIG) is a GitError, not an OSError
    with pytest.raises(GitError, match="cannot run git"):
        run_git(repo, ["rev-parse", "x" * 200_000])


# -- write-back ---------------------------------------------------------------


def test_read_only_contract_is_refused_and_untouched(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    path = repo / CONTRACT
    path.chmod(0o444)
    before = head(repo)
    with pytest.raises(RefusedError, match="read-only"):
        commit_contract_edit(repo, CONTRACT, edited(), expected_sha256=sha256_of(SEED), message="x")
    assert path.read_bytes() == SEED and stat.S_IMODE(path.stat().st_mode) == 0o444
    assert head(repo) == before


def _no_identity(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, repo: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    for name in (
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
    ):
        monkeypatch.delenv(name, raising=False)
    git(repo, "config", "--unset", "user.name")
    git(repo, "config", "--unset", "user.email")
    git(repo, "config", "user.useConfigOnly", "true")


def test_unknown_identity_is_refused_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path)
    _no_identity(monkeypatch, tmp_path, repo)
    with pytest.raises(RefusedError, match="does not know who you are"):
        commit_contract_edit(repo, CONTRACT, edited(), expected_sha256=sha256_of(SEED), message="x")
    assert (repo / CONTRACT).read_bytes() == SEED
    assert git(repo, "status", "--porcelain") == ""


def test_identity_from_the_environment_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path)
    _no_identity(monkeypatch, tmp_path, repo)
    monkeypatch.setenv("GIT_AUTHOR_NAME", "CI Bot")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "bot@ci.example")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "CI Bot")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "bot@ci.example")
    # ... while a stray GIT_DIR / GIT_INDEX_FILE is still ignored
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(tmp_path / "index"))
    done = commit_contract_edit(
        repo, CONTRACT, edited(), expected_sha256=sha256_of(SEED), message="by the bot"
    )
    assert git(repo, "log", "-1", "--format=%an <%ae>").strip() == "CI Bot <bot@ci.example>"
    assert done.commit == head(repo)
    assert not (tmp_path / "elsewhere").exists() and not (tmp_path / "index").exists()


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("FETCH_HEAD", "special refs"),
        ("ORIG_HEAD", "special refs"),
        ("v1", "already a tag"),
        ("origin/main", "already a remote-tracking branch"),
        ("main/x", "cannot create branch"),
        ("b" * 300, "too long"),
    ],
)
def test_confusing_branch_names_are_refused_and_nothing_changes(
    tmp_path: Path, name: str, why: str
) -> None:
    repo = make_repo(tmp_path)
    git(repo, "tag", "v1")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    refs_before = git(repo, "for-each-ref")
    with pytest.raises(RefusedError, match=why):
        commit_contract_edit(
            repo, CONTRACT, edited(), expected_sha256=sha256_of(SEED), message="x", branch=name
        )
    assert (repo / CONTRACT).read_bytes() == SEED
    assert git(repo, "for-each-ref") == refs_before
    assert git(repo, "symbolic-ref", "HEAD").strip() == "refs/heads/main"


def test_commit_from_a_linked_worktree(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    wt = tmp_path / "wt"
    git(repo, "worktree", "add", "-q", "-b", "side", str(wt))
    done = commit_contract_edit(
        wt, CONTRACT, edited(), expected_sha256=sha256_of(SEED), message="from the worktree"
    )
    assert done.branch == "side"
    assert git(repo, "rev-parse", "side").strip() == done.commit
    assert (repo / CONTRACT).read_bytes() == SEED  # the main work tree is untouched
    assert [s for s, _ in _versions(wt)] == ["from the worktree", "initial contract"]


def test_contract_replaced_by_a_symlink_is_an_invalid_version_with_a_reason(
    tmp_path: Path,
) -> None:
    repo = make_repo(tmp_path)
    (repo / "real.yml").write_bytes(SEED)
    (repo / CONTRACT).unlink()
    (repo / CONTRACT).symlink_to("real.yml")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "link it")
    newest = History(repo).list_versions(CONTRACT)[0]
    assert newest.subject == "link it" and not newest.valid and not newest.deleted
    assert "not a regular file" in newest.findings_json[0]["message"]


def test_hook_that_stages_another_file_is_reported_and_index_left_consistent(
    tmp_path: Path,
) -> None:
    repo = make_repo(tmp_path)
    write_hook(repo, "pre-commit", "echo generated >> generated.txt\ngit add generated.txt\n")
    done = commit_contract_edit(
        repo, CONTRACT, edited(), expected_sha256=sha256_of(SEED), message="x"
    )
    assert done.extra_paths == ("generated.txt",)
    # without the fix the index held a staged deletion of generated.txt
    assert git(repo, "status", "--porcelain") == ""


def test_hook_added_file_keeps_what_the_user_staged(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "README.md").write_text("readme\nstaged by the user\n")
    git(repo, "add", "README.md")
    (repo / "README.md").write_text("readme\nstaged by the user\nnot staged\n")
    write_hook(repo, "pre-commit", "git add README.md\n")
    done = commit_contract_edit(
        repo, CONTRACT, edited(), expected_sha256=sha256_of(SEED), message="x"
    )
    assert done.extra_paths == ("README.md",)
    assert git(repo, "show", ":README.md") == "readme\nstaged by the user\n"


def test_commit_subject_cannot_split_or_forge_a_version(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    first = head(repo)
    (repo / CONTRACT).write_bytes(edited())
    # a fixed record separator (\x1e) in a subject used to end the record early:
    # the real version lost its file and the rest posed as another commit
    git(repo, "commit", "-q", "-am", f"ok\x1e{first}")
    versions = History(repo).list_versions(CONTRACT)
    assert [v.commit for v in versions] == [head(repo), first]
    assert versions[0].valid and versions[0].blob is not None
    assert versions[0].subject == f"ok\x1e{first}"
