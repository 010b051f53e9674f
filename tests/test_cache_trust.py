"""The cache is read only from a folder of one's own, only as a regular file, only up to a bound,
and only when its checksum holds (docs/reference.md, "The cache").

Every test here plants what another user, a mistake or ``sudo`` could leave where the cache
lives, and checks that policyx prints the knowledge base's own text, says nothing or one
warning as documented, and never hangs, crashes or creates folders in odd places.
"""

from __future__ import annotations

import os
import resource
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from hashlib import blake2b
from pathlib import Path
from zlib import crc32

import pytest

from policyx.kb import store
from policyx.kb.load import bundled_path

from .clirun import Outcome

BUNDLED = bundled_path()
CLAIM = b"Sex work should be viewed as labor."
FORGED = b"Sex work should be viewed as CRIME."
assert len(CLAIM) == len(FORGED)

#: how the layouts start: MAGIC, then (format 3 only) an 8-byte key id, then a 32-byte checksum
#: (blake2b; from format 5 a 4-byte CRC-32; format 6 keeps columns where 5 kept rows; 7 also search's)
OLD_MAGIC = b"policyx-kb-cache\n"
KEYED_MAGIC = b"policyx-kb-cache 3\n"
BLAKE_MAGIC = b"policyx-kb-cache 4\n"
ROWS_MAGIC = b"policyx-kb-cache 5\n"
COLUMNS_MAGIC = b"policyx-kb-cache 6\n"
NEW_MAGIC = b"policyx-kb-cache 7\n"

ROOT_ONLY = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                               reason="needs root to make a folder owned by another user")
NOBODY = 65534

Cli = Callable[..., Outcome]


def copy_kb(tmp_path: Path) -> Path:
    target = tmp_path / "kb" / "positions.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(BUNDLED.read_bytes())
    return target


def listing(cli: Cli, kb: Path, cache_home: Path, *extra: str) -> Outcome:
    return cli("--kb", str(kb), "list", "arguments", "-f", "jsonl", *extra, env={"XDG_CACHE_HOME": str(cache_home)})


def genuine_cache(cli: Cli, kb: Path, home: Path) -> Path:
    """Let policyx write its cache of ``kb`` under ``home``; return the cache file."""
    assert listing(cli, kb, home).exit_code == 0
    (made,) = [p for p in (home / "policyx").iterdir() if p.name.startswith("kb-")]
    return made


def forge(blob: bytes) -> bytes:
    """What someone who knows the file format can make: a claim changed, and the checksum
    recomputed over the payload."""
    if blob.startswith(NEW_MAGIC):
        head, digest_at = len(NEW_MAGIC) + 4, len(NEW_MAGIC)
        payload = blob[head:].replace(CLAIM, FORGED)
        return blob[:digest_at] + crc32(payload).to_bytes(4, "big") + payload
    if blob.startswith(BLAKE_MAGIC):
        head, digest_at = len(BLAKE_MAGIC) + 32, len(BLAKE_MAGIC)
        payload = blob[head:].replace(CLAIM, FORGED)
        return blob[:digest_at] + blake2b(payload, digest_size=32, person=b"policyx-cache").digest() + payload
    if blob.startswith(KEYED_MAGIC):
        head, digest_at = len(KEYED_MAGIC) + 8 + 32, len(KEYED_MAGIC) + 8
    else:
        assert blob.startswith(OLD_MAGIC)
        head, digest_at = len(OLD_MAGIC) + 32, len(OLD_MAGIC)
    payload = blob[head:]
    assert CLAIM in payload
    payload = payload.replace(CLAIM, FORGED)
    return blob[:digest_at] + blake2b(payload, digest_size=32).digest() + payload


# --------------------------------------------------------------------------
# 6. A forged cache never changes what is printed


def test_a_damaged_cache_in_ones_own_folder_is_rebuilt_not_believed(cli: Cli, tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    home = tmp_path / "cache"
    expected = listing(cli, kb, home)
    cache = genuine_cache(cli, kb, home)
    cache.write_bytes(cache.read_bytes().replace(CLAIM, FORGED))  # a claim changed, the checksum not
    result = listing(cli, kb, home)
    assert FORGED.decode() not in result.stdout
    assert result.stdout == expected.stdout
    assert result.stderr.startswith("policyx: warning: ignoring the cache ")
    assert "(damaged: checksum mismatch); rebuilding it" in result.stderr
    assert listing(cli, kb, home) == expected  # rebuilt


def test_a_folder_others_can_write_is_neither_read_nor_written(cli: Cli, tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    private = tmp_path / "private"
    forged = forge(genuine_cache(cli, kb, private).read_bytes())
    expected = cli("--kb", str(kb), "--no-cache", "list", "arguments", "-f", "jsonl")
    for mode in (0o777, 0o770, 0o1777):  # writable by others, by the group, /tmp-like
        shared = tmp_path / f"shared-{mode:o}"
        (shared / "policyx").mkdir(parents=True)
        os.chmod(shared / "policyx", mode)
        planted = shared / "policyx" / genuine_cache(cli, kb, private).name
        planted.write_bytes(forged)
        result = listing(cli, kb, shared)
        assert result == expected, f"mode {mode:o}"  # the knowledge base's own text, no warning
        assert sorted(p.name for p in (shared / "policyx").iterdir()) == [planted.name]  # nothing written


@ROOT_ONLY
def test_a_folder_of_another_user_is_neither_read_nor_written(cli: Cli, tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    forged = forge(genuine_cache(cli, kb, tmp_path / "private").read_bytes())
    name = genuine_cache(cli, kb, tmp_path / "private").name
    theirs = tmp_path / "theirs"
    (theirs / "policyx").mkdir(parents=True, mode=0o700)
    (theirs / "policyx" / name).write_bytes(forged)
    os.chown(theirs / "policyx" / name, NOBODY, NOBODY)
    os.chown(theirs / "policyx", NOBODY, NOBODY)
    expected = cli("--kb", str(kb), "--no-cache", "list", "arguments", "-f", "jsonl")
    assert listing(cli, kb, theirs) == expected
    assert sorted(p.name for p in (theirs / "policyx").iterdir()) == [name]


# --------------------------------------------------------------------------
# 5. Links, devices, FIFOs and huge files where the cache file should be


def _run(args: list[str], env: dict[str, str], limit_memory: bool = False) -> subprocess.CompletedProcess[str]:
    def limits() -> None:  # an unbounded read fails fast (MemoryError) instead of filling the machine
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return subprocess.run([sys.executable, "-m", "policyx", *args], capture_output=True, text=True,
                          env={**os.environ, "POLICYX_KB": "", **env}, timeout=120,
                          preexec_fn=limits if limit_memory else None)


@pytest.mark.parametrize("planted", ["link-to-dev-zero", "fifo", "link-to-own-cache"])
def test_a_link_or_a_fifo_is_a_damaged_cache_not_a_hang(cli: Cli, tmp_path: Path, planted: str) -> None:
    kb = copy_kb(tmp_path)
    home = tmp_path / "cache"
    cache = genuine_cache(cli, kb, home)
    expected = cli("--kb", str(kb), "--no-cache", "list", "arguments", "-f", "jsonl")
    if planted == "fifo":
        cache.unlink()
        os.mkfifo(cache, 0o600)
        reason = "not a regular file"
    else:
        target = "/dev/zero" if planted == "link-to-dev-zero" else str(cache.with_name("copy"))
        shutil.copy(cache, cache.with_name("copy"))
        cache.unlink()
        cache.symlink_to(target)
        reason = "a link, not a cache file"
    args = ["--kb", str(kb), "list", "arguments", "-f", "jsonl"]
    result = _run(args, {"XDG_CACHE_HOME": str(home)}, limit_memory=True)
    assert (result.returncode, result.stdout) == (0, expected.stdout)
    assert result.stderr == f"policyx: warning: ignoring the cache {cache} ({reason}); rebuilding it\n"
    assert stat.S_ISREG(os.lstat(cache).st_mode)  # rebuilt as a regular file
    assert _run(args, {"XDG_CACHE_HOME": str(home)}).stderr == ""


def test_a_cache_file_larger_than_its_knowledge_base_allows_is_not_read(cli: Cli, tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    home = tmp_path / "cache"
    cache = genuine_cache(cli, kb, home)
    with cache.open("r+b") as out:
        out.truncate(1 << 40)  # a sparse terabyte: reading it whole would never end
    result = listing(cli, kb, home)
    assert result.exit_code == 0
    assert result.stderr == (f"policyx: warning: ignoring the cache {cache} (1,099,511,627,776 bytes, more than a"
                             " cache of this knowledge base can be); rebuilding it\n")
    assert cache.stat().st_size < 1 << 20


# --------------------------------------------------------------------------
# 7. No place for a cache: no cache, silently, and no folders in odd places


@pytest.mark.parametrize("home", ["", "relative/home", "missing"])
def test_an_odd_home_means_no_cache(tmp_path: Path, home: str) -> None:
    kb = copy_kb(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    value = str(tmp_path / "missing") if home == "missing" else home
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_CACHE_HOME", "POLICYX_KB")}
    env["HOME"] = value
    done = subprocess.run([sys.executable, "-m", "policyx", "--kb", str(kb), "list", "-f", "ids"], cwd=work,
                          capture_output=True, text=True, env=env, timeout=120)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.split()[0] == "end-bifurcation"
    assert list(work.iterdir()) == []  # no ./.cache (HOME="" made ~ the current folder)
    assert not (tmp_path / "missing").exists()
    assert store.cache_dir({"HOME": value}) is None


def test_a_name_too_long_for_the_file_system_means_no_cache_silently(cli: Cli, tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    home = tmp_path / ("x" * 300)
    expected = cli("--kb", str(kb), "--no-cache", "list", "arguments", "-f", "jsonl")
    assert listing(cli, kb, home) == expected
    assert listing(cli, kb, home) == expected  # the old code warned on every run


@ROOT_ONLY
def test_a_cache_folder_left_by_another_user_is_skipped_silently(cli: Cli, tmp_path: Path) -> None:
    """After `sudo policyx` the cache folder may belong to root; here root runs policyx in a
    folder of another user's, which is the same situation seen from the other side."""
    kb = copy_kb(tmp_path)
    theirs = tmp_path / "theirs" / "policyx"
    theirs.mkdir(parents=True, mode=0o700)
    (theirs / store.cache_file(kb, {"XDG_CACHE_HOME": str(theirs.parent)}).name).mkdir()  # type: ignore[union-attr]
    os.chown(theirs, NOBODY, NOBODY)
    expected = cli("--kb", str(kb), "--no-cache", "list", "arguments", "-f", "jsonl")
    assert listing(cli, kb, theirs.parent) == expected  # no warning: the old code warned on every run


@ROOT_ONLY
def test_root_makes_no_cache_folder_in_a_home_of_another_user(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    os.chown(home, NOBODY, NOBODY)
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_CACHE_HOME", "POLICYX_KB")}
    done = subprocess.run([sys.executable, "-m", "policyx", "--kb", str(kb), "list", "-f", "ids"],
                          capture_output=True, text=True, env={**env, "HOME": str(home)}, timeout=120)
    assert (done.returncode, done.stderr) == (0, "")
    assert list(home.iterdir()) == []  # `sudo -E policyx` would have left ~/.cache owned by root


# --------------------------------------------------------------------------
# The folder


def test_the_cache_folder_is_private_and_a_cache_of_an_older_format_is_stale(cli: Cli, tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    home = tmp_path / "cache"
    expected = listing(cli, kb, home)
    assert stat.S_IMODE((home / "policyx").stat().st_mode) == 0o700
    cache = genuine_cache(cli, kb, home)
    blob = cache.read_bytes()
    assert blob.startswith(NEW_MAGIC)
    payload = blob[len(NEW_MAGIC) + 4:]
    # what policyx wrote before format 4 (a key id, then a keyed checksum), in format 4 (a
    # blake2b), in format 5 (rows) and in format 6 (no search columns): stale, rebuilt quietly
    for old in (KEYED_MAGIC + bytes(8) + bytes(32) + payload,
                BLAKE_MAGIC + blake2b(payload, digest_size=32, person=b"policyx-cache").digest() + payload,
                ROWS_MAGIC + crc32(payload).to_bytes(4, "big") + payload,
                COLUMNS_MAGIC + crc32(payload).to_bytes(4, "big") + payload):
        cache.write_bytes(old)
        assert listing(cli, kb, home) == expected
        assert cache.read_bytes().startswith(NEW_MAGIC)
