"""Benchmark: time from `workbench` start to the first screen with the matrix.

Builds the 5,000-version repository of `bench/history.py` (its generator is
imported, not copied), then starts the app in a fresh Python process (headless,
120x36) and measures, from process spawn:

- first screen: the Matrix view holds the contract's rows (target <= 1.5 s);
- first page: the first page of versions is in the Versions list;
- all versions: history paging finished (it runs behind the first screen).

Cold = no per-blob cache yet (first ever start); warm = second start. The same
run also times a bare `python -c "import textual.app"` as the floor every
Textual app pays.

    PYTHONPATH=. python bench/app_start.py [--versions 5000] [--keep DIR] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from history import NEW_PATH, build_repo  # noqa: E402

from workbench.core.git.runner import git_env  # noqa: E402

CHILD = r"""
import time, sys, json
t0 = time.perf_counter()
from pathlib import Path
from workbench.ui.app import WorkbenchApp
repo, relpath = Path(sys.argv[1]), sys.argv[2]
marks = {}

async def auto_pilot(pilot):
    app = pilot.app
    while True:
        table = app.query_one("#matrix-table")
        if "first_screen" not in marks and table.row_count >= 5:
            marks["first_screen"] = time.perf_counter() - t0
        if "first_page" not in marks and len(app.session.versions) > 1:
            marks["first_page"] = time.perf_counter() - t0
        if app.session.history_complete:
            marks["all_versions"] = time.perf_counter() - t0
            marks["versions"] = sum(1 for v in app.session.versions if v.commit != "draft")
            break
        await pilot.pause(0.01)
    app.exit()

WorkbenchApp(repo, relpath).run(headless=True, size=(120, 36), auto_pilot=auto_pilot)
print("MARKS " + json.dumps(marks), flush=True)
"""


def start_once(repo: Path) -> dict[str, float]:
    """Spawn the app once; the marks plus the spawn overhead measured from here."""
    env = {**git_env(), "PYTHONPATH": str(ROOT)}
    spawn = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(repo), NEW_PATH],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    wall = time.perf_counter() - spawn
    line = next((x for x in proc.stdout.splitlines() if x.startswith("MARKS ")), None)
    if proc.returncode != 0 or line is None:
        raise SystemExit(f"app run failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    marks = json.loads(line[6:])
    # the child's clock starts after interpreter start-up: add it from the parent's view
    probe = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    startup = time.perf_counter() - probe
    for key in ("first_screen", "first_page", "all_versions"):
        marks[key] += startup
    marks["process_wall"] = wall
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--versions", type=int, default=5000)
    parser.add_argument("--keep", type=Path, help="build the repo here and keep it")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="wb-app-bench-"))
    repo = base / "repo"
    try:
        if not repo.exists():
            t = time.perf_counter()
            build_repo(repo, args.versions)
            print(
                f"built {args.versions} versions (+{args.versions} other commits) "
                f"in {time.perf_counter() - t:.1f} s"
            )
        cache = repo / ".git" / "workbench"
        shutil.rmtree(cache, ignore_errors=True)

        floor = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", "import textual.app"], check=True)
            floor.append(time.perf_counter() - t)
        print(f"baseline: python + import textual.app       {statistics.median(floor):6.2f} s")

        cold = start_once(repo)
        print(f"cold: first screen with matrix               {cold['first_screen']:6.2f} s")
        print(f"cold: first page of versions                 {cold['first_page']:6.2f} s")
        print(
            f"cold: all {cold['versions']} versions paged in           "
            f"{cold['all_versions']:6.2f} s"
        )
        warm = [start_once(repo) for _ in range(args.repeat)]
        fs = statistics.median(w["first_screen"] for w in warm)
        fp = statistics.median(w["first_page"] for w in warm)
        av = statistics.median(w["all_versions"] for w in warm)
        print(f"warm: first screen with matrix (median)      {fs:6.2f} s")
        print(f"warm: first page of versions (median)        {fp:6.2f} s")
        print(f"warm: all versions paged in (median)         {av:6.2f} s")
        ok = max(cold["first_screen"], fs) <= 1.5
        print(f"target first screen <= 1.5 s: {'met' if ok else 'NOT met'}")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
