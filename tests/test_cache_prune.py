"""The cache folder keeps what is used (kb/cachefolder.py, ``CacheFolder.prune``): a cache file
unused for 30 days goes when another is written, at most once a day; nothing else there is touched."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

import policyx
from policyx.kb import store
from policyx.kb.cachefolder import PRUNED, UNUSED_DAYS, CacheFolder
from tests import test_cache
from tests.conftest import make_kb_module

#: test_cache's: a cache folder of this test's own
cache_home = test_cache.cache_home
DAY = 86_400


def _aged(path: Path, days: float) -> Path:
    """``path`` last read and written ``days`` days ago."""
    then = time.time() - days * DAY
    os.utime(path, (then, then), follow_symlinks=False)
    return path


def test_a_cache_file_unused_for_30_days_goes_when_another_is_written(tmp_path: Path, cache_home: Path) -> None:
    folder = cache_home / "policyx"
    folder.mkdir(parents=True, mode=0o700)
    old = folder / "kb-0123-py311.marshal"
    old.write_bytes(b"policyx-kb-cache 7\n")
    _aged(old, UNUSED_DAYS + 1)
    recent = folder / "kb-4567-py311.marshal"
    recent.write_bytes(b"policyx-kb-cache 7\n")
    _aged(recent, UNUSED_DAYS - 1)
    cut_off = folder / ".kb-89ab-py311.marshal.123.cafe.tmp"  # a write cut off two days ago
    cut_off.write_bytes(b"half")
    _aged(cut_off, 2)
    foreign = folder / "notes.txt"  # not policyx's: never touched, however old
    foreign.write_text("mine", encoding="utf-8")
    _aged(foreign, 400)
    (folder / "written").mkdir()
    record = folder / "written" / "00ab"  # what a writer recorded writing: never pruned
    record.write_text("x", encoding="utf-8")
    _aged(record, 400)
    link = folder / "kb-link-py311.marshal"
    link.symlink_to(foreign)
    os.utime(link, (1, 1), follow_symlinks=False)

    kb = make_kb_module().write_kb(3, tmp_path / "kb.yaml", seed=1)
    store.open_kb(kb)  # writes its cache file, and prunes

    assert not old.exists() and not cut_off.exists()
    assert recent.exists() and foreign.exists() and record.exists() and link.is_symlink()
    assert store.open_kb(kb).quotes is not None  # its own cache file stays and is read
    assert len(list(folder.glob("kb-*.marshal"))) == 3  # recent, the link, kb.yaml's own


def test_the_folder_is_pruned_at_most_once_a_day(tmp_path: Path, cache_home: Path) -> None:
    folder = cache_home / "policyx"
    folder.mkdir(parents=True, mode=0o700)
    with CacheFolder.open(folder) as opened:  # type: ignore[union-attr]
        opened.prune()
        first = (folder / PRUNED).stat().st_mtime
        old = folder / "lib-0123-whole-py311.marshal"
        old.write_bytes(b"x")
        _aged(old, UNUSED_DAYS + 5)
        opened.prune()  # the same day: not again
        assert old.exists() and (folder / PRUNED).stat().st_mtime == first
        opened.prune(now=time.time_ns() + DAY * 10**9 + 1)  # a day later
        assert not old.exists()


def test_a_file_read_lately_stays_however_old_its_write(tmp_path: Path, cache_home: Path) -> None:
    """A cache written long ago but read yesterday is in use (its access time says so)."""
    folder = cache_home / "policyx"
    folder.mkdir(parents=True, mode=0o700)
    used = folder / "kb-0123-py311.marshal"
    used.write_bytes(b"x")
    now = time.time()
    os.utime(used, (now - DAY, now - 90 * DAY))
    with CacheFolder.open(folder) as opened:  # type: ignore[union-attr]
        opened.prune()
    assert used.exists()


def test_two_versions_sharing_the_folder_keep_a_file_each(tmp_path: Path, cache_home: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A pipx install and a project's virtualenv of another version: each reads its own cache, not
    one file they rebuild for each other on every run."""
    from policyx.kb import cachefolder

    kb = make_kb_module().write_kb(3, tmp_path / "kb.yaml", seed=2)
    store.open_kb(kb)
    monkeypatch.setattr(cachefolder, "__version__", "9.9.9")
    store.open_kb(kb)
    names = sorted(p.name for p in (cache_home / "policyx").glob("kb-*.marshal"))
    assert len(names) == 2 and sum(n.endswith(f"-{policyx.__version__}.marshal") for n in names) == 1
    assert any(n.endswith(f"-py{sys.version_info[0]}{sys.version_info[1]}-9.9.9.marshal") for n in names)
