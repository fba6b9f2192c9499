"""Live child processes of a process, found by their command line (read from /proc: Linux only)."""

from __future__ import annotations

from pathlib import Path


def children(parent: int, marker: bytes) -> list[int]:
    """Pids of the live (not zombie) children of ``parent`` whose command line contains ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:  # the process ended while being read
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == parent and state != "Z" and marker in cmdline:
            found.append(int(entry.name))
    return found
