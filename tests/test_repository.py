"""The repository itself: no file left half-merged."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.helpers import ROOT

MARKER = re.compile(r"^(<{7}|>{7})( |$)", re.MULTILINE)


def tracked_text_files():
    try:
        names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                               check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / n for n in names
            if n.endswith((".py", ".md", ".yaml", ".toml", ".sh", ".txt", ".lock", ".cfg"))]


def test_no_tracked_file_holds_merge_conflict_markers():
    marked = [str(p.relative_to(ROOT)) for p in tracked_text_files()
              if p.is_file() and MARKER.search(p.read_text(encoding="utf-8", errors="replace"))]
    assert marked == []
