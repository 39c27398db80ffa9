"""Finding the imgguard command line tool and asking its version."""
import os
import shlex
import shutil
import subprocess

__all__ = ["CliNotFound", "find_cli", "cli_version"]

INSTALL_HINT = (
    "imgguard (the command line tool, Node >= 20) was not found. Install it from a clone with "
    "`npm install -g /path/to/imgguard` (or from its tarball: `npm pack`, then `npm install -g imgguard-*.tgz`), "
    "or set IMGGUARD_BIN to its path or command line, e.g. IMGGUARD_BIN='node /path/to/imgguard/bin/imgguard.js'."
)


class CliNotFound(FileNotFoundError):
    """The imgguard command line tool is not installed where this package looks for it."""


def find_cli():
    """The command that runs imgguard, as a list: IMGGUARD_BIN (a path or a command line), else
    `imgguard` on PATH. Raises CliNotFound saying how to install it."""
    configured = os.environ.get("IMGGUARD_BIN", "").strip()
    if configured:
        # A path with spaces is taken whole when it exists; otherwise a command line.
        if os.path.exists(configured):
            return [configured]
        words = shlex.split(configured)
        if words and (os.path.exists(words[0]) or shutil.which(words[0])):
            return words
        raise CliNotFound(f"IMGGUARD_BIN={configured!r} does not name a program that exists. {INSTALL_HINT}")
    found = shutil.which("imgguard")
    if found:
        return [found]
    raise CliNotFound(INSTALL_HINT)


def cli_version(cmd=None):
    """The CLI's `--version` output (its version, then sharp's and libvips' when it reports them)."""
    cmd = cmd or find_cli()
    done = subprocess.run([*cmd, "--version"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"imgguard --version failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout.decode(errors="replace").strip()
