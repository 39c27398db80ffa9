"""imgguard for Python: check images before opening them, in one long-lived imgguard process.

    from imgguard import check, safe_open, load
    results = check("data/")            # a Results list; shows as a table in a notebook
    img = safe_open("photo.jpg")        # PIL.Image.open only when the decode fits the budget
    pixels = load("photo.avif", budget="1GiB", max_side=1024)   # decoded by sharp, outside this process

Standard library only; Pillow and numpy are imported when safe_open and load need them.
"""
from ._cli import CliNotFound, cli_version, find_cli
from ._guard import Guard, check, filter_ok, iter_check, pillow_decoder, safe_open
from ._load import load
from ._result import (
    CheckFailed,
    CorruptImage,
    ImageRejected,
    OverBudget,
    Result,
    Results,
    UnsupportedImage,
)

__version__ = "0.1.0"

__all__ = [
    "CheckFailed",
    "CliNotFound",
    "CorruptImage",
    "Guard",
    "ImageRejected",
    "OverBudget",
    "Result",
    "Results",
    "UnsupportedImage",
    "check",
    "filter_ok",
    "find_cli",
    "iter_check",
    "load",
    "pillow_decoder",
    "safe_open",
    "version",
]


def version() -> dict:
    """This package's version and the CLI's (`imgguard --version`: its version, sharp's, libvips')."""
    return {"python": __version__, "cli": cli_version()}
