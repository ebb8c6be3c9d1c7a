"""Real filesystem limits for the reliability tests: read-only bind mounts, small tmpfs, a disk filled up."""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _mount(*args: str) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise OSError(f"mount {' '.join(args)}: {result.stderr.strip() or result.returncode}")


def _unmount(target: Path) -> None:
    """Unmount `target`; a file still mapped by this process (a FAISS index not yet collected) only delays it."""
    gc.collect()
    if subprocess.run(["umount", str(target)], capture_output=True, timeout=30, check=False).returncode != 0:
        subprocess.run(["umount", "--lazy", str(target)], capture_output=True, timeout=30, check=False)


@contextlib.contextmanager
def read_only_view(source: Path, target: Path) -> Iterator[Path]:
    """`target` shows `source` through a read-only bind mount (skips the test, saying why, where mounting fails).

    Checks that writing through it fails even for root: root passes permission bits, but not a
    read-only mount.
    """
    target.mkdir(parents=True, exist_ok=True)
    try:
        _mount("--bind", str(source), str(target))
    except OSError as error:
        pytest.skip(f"cannot bind-mount on this machine (needs root or CAP_SYS_ADMIN): {error}")
    try:
        try:
            _mount("-o", "remount,ro,bind", str(target))
        except OSError as error:
            pytest.skip(f"cannot remount the bind mount read-only on this machine: {error}")
        probe = target / ".write-probe"
        try:
            probe.write_text("x")
        except OSError as error:
            assert error.errno == errno.EROFS, error
        else:
            probe.unlink()
            pytest.fail(f"{target} accepted a write although mounted read-only")
        yield target
    finally:
        _unmount(target)


@contextlib.contextmanager
def small_tmpfs(target: Path, size: str = "3m") -> Iterator[Path]:
    """A tmpfs of `size` mounted at `target` (skips the test, saying why, where mounting fails)."""
    target.mkdir(parents=True, exist_ok=True)
    try:
        _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target))
    except OSError as error:
        pytest.skip(f"cannot mount a tmpfs on this machine (needs root or CAP_SYS_ADMIN): {error}")
    try:
        yield target
    finally:
        _unmount(target)


def fill(folder: Path) -> Path:
    """Write a file in `folder` until its filesystem has no free block left; returns the file."""
    filler = folder / "filler.bin"
    with open(filler, "ab", buffering=0) as handle:
        for size in (1 << 16, 1 << 12, 1):
            block = b"\0" * size
            while True:
                try:
                    handle.write(block)
                except OSError as error:
                    assert error.errno == errno.ENOSPC, error
                    break
    assert os.statvfs(folder).f_bavail == 0
    return filler


def tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every path under `folder` with its size and modification time (to prove nothing was written)."""
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
    }
