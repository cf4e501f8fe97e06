"""Version history on real git repositories: listing, renames, drafts, field history, caches."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from core.conftest_history import SEED, build_story, commit_file, git, init_repo

from workbench.core.git.blobs import BlobReader, read_blobs
from workbench.core.git.cache import FORMAT, FORMAT_VERSION
from workbench.core.git.discover import choose_contract, discover_contracts, locate, repo_state
from workbench.core.git.history import (
    History,
    draft_version,
    field_history,
    list_versions,
    load_version,
)
from workbench.core.git.revisions import head_commit, read_file_at
from workbench.core.git.runner import GitError


@pytest.fixture
def story(tmp_path: Path):
    return build_story(tmp_path)


# -- revisions -------------------------------------------------------------------


def test_read_file_at_and_head(story) -> None:
    head = head_commit(story.repo)
    assert head == story.commits[-1]
    assert read_file_at(story.repo, head, story.path) == (story.repo / story.path).read_bytes()
    assert read_file_at(story.repo, head, story.old_path) is None  # renamed away
    assert read_file_at(story.repo, story.commits[0], story.old_path) == SEED.encode()
    assert read_file_at(story.repo, head, "contracts") is None  # a tree, not a file


def test_read_file_at_rejects_non_hashes(story) -> None:
    for bad in ("HEAD", "--output=x", story.commits[0][:12]):
        with pytest.raises(GitError):
            read_file_at(story.repo, bad, story.path)
    with pytest.raises(GitError):
        read_file_at(story.repo, "0" * 40, story.path)
    with pytest.raises(GitError):
        read_file_at(story.repo, story.commits[0], "a\nb.yml")


def test_head_commit_unborn_and_not_a_repo(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "empty")
    assert head_commit(repo) is None
    outside = tmp_path / "plain"
    outside.mkdir()
    with pytest.raises(GitError):
        head_commit(outside)


# -- listing ---------------------------------------------------------------------


def test_versions_newest_first_follow_rename(story) -> None:
    versions = list_versions(story.repo, story.path)
    assert [v.commit for v in versions] == list(reversed(story.commits))
    assert [v.contract_version for v in versions] == ["1.3", "1.3", "1.2", "1.1", "1.0"]
    assert [v.path for v in versions] == [story.path] + [story.old_path] * 4
    assert versions[0].status == "R" and versions[-1].status == "A"
    assert versions[0].tags == ["v-light"] and versions[-1].tags == ["review/2025-Q1"]
    assert [v.author for v in versions][1:4] == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    assert versions[1].subject == "Fix the broken edit"
    assert all(len(v.commit) == 40 and v.date[:2] == "20" for v in versions)


def test_broken_version_is_invalid_with_findings_and_does_not_break_listing(story) -> None:
    versions = list_versions(story.repo, story.path)
    broken = versions[2]
    assert broken.valid is False
    assert broken.findings and broken.findings[0].rule == "CW001"
    assert broken.findings[0].line > 1
    assert [v.valid for v in versions] == [True, True, False, True, True]


def test_limit_skip_and_pages(story) -> None:
    full = list_versions(story.repo, story.path)
    assert [v.commit for v in list_versions(story.repo, story.path, limit=2)] == [
        v.commit for v in full[:2]
    ]
    assert [v.commit for v in list_versions(story.repo, story.path, skip=2, limit=2)] == [
        v.commit for v in full[2:4]
    ]
    pages = list(History(story.repo).iter_version_pages(story.path, page_size=2))
    assert [len(p) for p in pages] == [2, 3]  # pages grow once the first screen is full
    assert [v.commit for p in pages for v in p] == [v.commit for v in full]
    assert [v.valid for p in pages for v in p] == [v.valid for v in full]


def test_unrelated_file_has_no_contract_versions(story) -> None:
    assert [v.subject for v in list_versions(story.repo, "README.md")] == ["Unrelated: readme"]
    assert list_versions(story.repo, "nope.yml") == []


def test_load_version_and_path_at(story) -> None:
    validation = load_version(story.repo, story.commits[1], story.old_path)
    assert validation.valid and validation.data["reliability"]["p95_latency_ms"]["tier_2"] == 3200
    with pytest.raises(GitError):
        load_version(story.repo, story.commits[1], story.path)  # not yet renamed then
    history = History(story.repo)
    assert history.path_at(story.commits[1], story.path) == story.old_path
    assert history.path_at(story.commits[-1], story.path) == story.path


def test_field_history(story) -> None:
    changes = field_history(story.repo, story.path, "reliability.p95_latency_ms.tier_2")
    assert [(c.commit, c.value) for c in changes] == [
        (story.commits[3], 3000),
        (story.commits[1], 3200),
        (story.commits[0], 3500),
    ]
    assert changes[-1].author == "Ada Lovelace"
    models = field_history(story.repo, story.path, "capability_tiers.tier_2.approved_models")
    assert [c.value for c in models] == [["balanced", "advanced"]]
    first_model = field_history(story.repo, story.path, "capability_tiers.tier_2.approved_models.0")
    assert [c.value for c in first_model] == ["balanced"]
    assert field_history(story.repo, story.path, "x-nothing.here") == []


def test_field_history_records_removal(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "r")
    c1 = commit_file(repo, "c.yml", SEED, "add")
    c2 = commit_file(
        repo, "c.yml", SEED.replace("  monthly_reserve_percent: 15\n", ""), "drop reserve"
    )
    changes = field_history(repo, "c.yml", "economics.monthly_reserve_percent")
    assert [(c.commit, c.present, c.value) for c in changes] == [(c2, False, None), (c1, True, 15)]


# -- draft -----------------------------------------------------------------------


def test_draft_only_when_working_tree_differs(story) -> None:
    assert draft_version(story.repo, story.path) is None
    target = story.repo / story.path
    target.write_text(target.read_text().replace("version: 1.3", "version: 1.4"))
    draft = draft_version(story.repo, story.path)
    assert draft is not None and draft.draft and draft.commit == ""
    assert draft.contract_version == "1.4" and draft.valid
    assert draft.blob == git(story.repo, "hash-object", "--", story.path).strip()
    target.unlink()
    gone = draft_version(story.repo, story.path)
    assert gone is not None and gone.deleted


def test_unborn_repo_has_no_versions_but_a_draft(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "empty")
    state = repo_state(repo)
    assert state.unborn and not state.is_bare and not state.is_shallow
    (repo / "c.yml").write_text(SEED)
    assert list_versions(repo, "c.yml") == []
    draft = draft_version(repo, "c.yml")
    assert draft is not None and draft.valid
    assert discover_contracts(repo) == []  # not tracked yet
    git(repo, "add", "c.yml")
    assert discover_contracts(repo) == ["c.yml"]  # staged counts as tracked


# -- discovery, bare, shallow ------------------------------------------------------------


def test_discover_several_contracts(story) -> None:
    commit_file(story.repo, "other/models.yml", "models:\n  fast: {}\n", "models")
    commit_file(story.repo, "teams/b.yaml", SEED, "second contract")
    commit_file(story.repo, "odd.yml", '{"capability_tiers": {}, "version": "1.0"}\n', "flow style")
    commit_file(story.repo, "notes.yml", "text: mentions capability_tiers only\n", "a mention")
    found = discover_contracts(story.repo)
    assert found == ["contracts/ai-contract.yml", "odd.yml", "teams/b.yaml"]
    with pytest.raises(GitError, match="3 contracts"):
        choose_contract(repo_state(story.repo), None)


def test_locate_paths(story) -> None:
    state, rel = locate("contracts/ai-contract.yml", story.repo)
    assert state.root == story.repo.resolve() and rel == story.path
    _, rel = locate("ai-contract.yml", story.repo / "contracts")
    assert rel == story.path
    with pytest.raises(GitError):
        locate("../elsewhere.yml", story.repo)
    with pytest.raises(GitError):
        locate(None, story.repo.parent)


def test_bare_repo_is_read_only_and_browsable(story, tmp_path: Path) -> None:
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(story.repo), str(bare)], check=True)
    state = repo_state(bare)
    assert state.is_bare and state.read_only and state.root == bare.resolve()
    assert discover_contracts(bare) == [story.path]
    history = History(bare)
    versions = history.list_versions(story.path)
    assert [v.commit for v in versions] == list(reversed(story.commits))
    assert history.draft_version(story.path) is None
    assert not (bare / "workbench").exists()  # nothing written into a bare repo


def test_shallow_clone_is_truncated(story, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", f"file://{story.repo}", str(clone)], check=True
    )
    assert repo_state(clone).is_shallow
    versions = list_versions(clone, story.path)
    assert 1 <= len(versions) < len(story.commits)
    assert versions[0].commit == story.commits[-1]


def test_inherited_git_variables_are_ignored(story, tmp_path: Path, monkeypatch) -> None:
    decoy = init_repo(tmp_path / "decoy")
    commit_file(decoy, "x.yml", "a: 1\n", "decoy")
    monkeypatch.setenv("GIT_DIR", str(decoy / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(decoy))
    assert len(list_versions(story.repo, story.path)) == 5


# -- blobs and caches ----------------------------------------------------------------


def test_read_blobs_batch_and_reader(story) -> None:
    versions = list_versions(story.repo, story.path)
    oids = [v.blob for v in versions if v.blob]
    blobs = read_blobs(story.repo, [*oids, "f" * 40])
    assert set(blobs) == set(oids) and "f" * 40 not in blobs
    assert blobs[versions[-1].blob] == SEED.encode()
    with BlobReader(story.repo) as reader:
        assert reader.read(versions[-1].blob) == SEED.encode()
        assert reader.read("f" * 40) is None
        assert reader.read(versions[0].blob) == blobs[versions[0].blob]
    with pytest.raises(GitError):
        read_blobs(story.repo, ["HEAD"])


def _cache_file(repo: Path) -> Path:
    return repo / ".git" / "workbench" / "cache" / "summaries.json"


def test_disk_cache_is_json_and_reused(story) -> None:
    first = [
        (v.commit, v.valid, v.contract_version, v.findings)
        for v in list_versions(story.repo, story.path)
    ]
    doc = json.loads(_cache_file(story.repo).read_text())
    assert doc["format"] == FORMAT and doc["version"] == FORMAT_VERSION
    assert len(doc["entries"]) == 4  # the rename reuses a blob
    # a planted entry with a different answer is what the next run reports: it is used
    oid = list_versions(story.repo, story.path)[0].blob
    doc["entries"][oid]["contract_version"] = "from-cache"
    _cache_file(story.repo).write_text(json.dumps(doc))
    assert list_versions(story.repo, story.path)[0].contract_version == "from-cache"
    doc["entries"][oid]["contract_version"] = "1.3"
    _cache_file(story.repo).write_text(json.dumps(doc))
    again = [
        (v.commit, v.valid, v.contract_version, v.findings)
        for v in list_versions(story.repo, story.path)
    ]
    assert again == first


@pytest.mark.parametrize(
    "content",
    [
        b"\x80\x04\x95 not json at all (a pickle would start like this)",
        b'{"format": "someone-else", "version": 1, "entries": {}}',
        b'{"format": "contract-workbench-cache", "version": 999, "entries": {}}',
        b"[1, 2, 3]",
        b'{"format": "contract-workbench-cache", "version": 1, "fingerprint": "old", "entries": {}}',
        b"",
    ],
)
def test_corrupt_or_foreign_cache_is_ignored_and_rebuilt(story, content: bytes) -> None:
    expected = [
        (v.commit, v.valid, v.contract_version)
        for v in list_versions(
            story.repo,
            story.path,
        )
    ]
    _cache_file(story.repo).write_bytes(content)
    assert [
        (v.commit, v.valid, v.contract_version) for v in list_versions(story.repo, story.path)
    ] == expected
    assert json.loads(_cache_file(story.repo).read_text())["format"] == FORMAT  # rebuilt


def test_malformed_cache_entry_is_ignored(story) -> None:
    versions = list_versions(story.repo, story.path)
    doc = json.loads(_cache_file(story.repo).read_text())
    doc["entries"][versions[0].blob] = {"contract_version": 3, "valid": "yes", "findings": "x"}
    doc["entries"][versions[2].blob]["findings"] = [{"rule": "CW001"}]
    _cache_file(story.repo).write_text(json.dumps(doc))
    again = list_versions(story.repo, story.path)
    assert again[0].contract_version == "1.3" and again[0].valid is True
    assert again[2].findings[0].rule == "CW001" and again[2].findings[0].line > 1


def test_cache_can_be_disabled(story) -> None:
    History(story.repo, disk_cache=False).list_versions(story.path)
    assert not _cache_file(story.repo).exists()


def test_parallel_summaries_equal_serial(story, monkeypatch) -> None:
    import workbench.core.git.history as history_module

    blobs = read_blobs(
        story.repo, [v.blob for v in list_versions(story.repo, story.path) if v.blob]
    )
    raws = list(blobs.values()) * 3
    serial = [history_module.summarize(raw) for raw in raws]
    monkeypatch.setattr(history_module, "PARALLEL_MIN", 2)
    monkeypatch.setattr(history_module.os, "cpu_count", lambda: 2)
    assert history_module.summarize_many(raws) == serial
    assert history_module._map_in_workers("summarize", raws, 2) == serial  # the workers ran


def test_parallel_parse_equals_serial(story) -> None:
    import workbench.core.git.history as history_module

    blobs = read_blobs(
        story.repo, [v.blob for v in list_versions(story.repo, story.path) if v.blob]
    )
    raws = list(blobs.values()) + [b"a: !!python/object:os.system x\n", b"\xff"]
    serial = [history_module.parse_data(raw) for raw in raws]
    assert [entry["ok"] for entry in serial[-2:]] == [False, False]
    assert history_module._map_in_workers("parse_data", raws, 2) == serial
