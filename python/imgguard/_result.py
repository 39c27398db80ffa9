"""One verdict per file (the CLI's JSON result contract), the errors safe_open raises, and the
HTML a notebook shows for them."""
import html
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

__all__ = [
    "Result",
    "Results",
    "ImageRejected",
    "OverBudget",
    "CorruptImage",
    "UnsupportedImage",
    "CheckFailed",
    "rejection",
]


# JSON field of the CLI's result -> attribute here.
_FIELDS = {
    "status": "status",
    "format": "format",
    "width": "width",
    "height": "height",
    "channels": "channels",
    "bitsPerSample": "bits_per_sample",
    "frames": "frames",
    "orientation": "orientation",
    "decodedBytes": "decoded_bytes",
    "decodedBytesAllFrames": "decoded_bytes_all_frames",
    "peakBytes": "peak_bytes",
    "budgetBytes": "budget_bytes",
    "headerBytes": "header_bytes",
    "fileBytes": "file_bytes",
    "reason": "reason",
    "error": "error",
    "decoder": "decoder",
    "pillowMode": "pillow_mode",
    "fitScale": "fit_scale",
    "verified": "verified",
    "notes": "notes",
    "limits": "limits",
    "warnings": "warnings",
}


@dataclass
class Result:
    """The verdict on one file. `path` is what the caller passed (same str/bytes type); the other
    fields are the CLI's JSON result in snake_case (`decodedBytes` -> `decoded_bytes`)."""

    path: Any
    status: str
    format: Optional[str] = None
    width: Optional[int] = None
    height: Optional[int] = None
    channels: Optional[int] = None
    bits_per_sample: Optional[int] = None
    frames: Optional[int] = None
    orientation: Optional[int] = None
    decoded_bytes: Optional[int] = None
    decoded_bytes_all_frames: Optional[int] = None
    peak_bytes: Optional[int] = None
    budget_bytes: Optional[int] = None
    header_bytes: Optional[int] = None
    file_bytes: Optional[int] = None
    reason: Optional[str] = None
    error: Optional[Dict[str, str]] = None
    decoder: Optional[str] = None
    pillow_mode: Optional[str] = None
    fit_scale: Optional[float] = None
    verified: Optional[bool] = None
    notes: List[str] = field(default_factory=list)
    limits: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the image decodes within the budget."""
        return self.status == "ok"

    @classmethod
    def from_json(cls, path, data: Dict[str, Any]) -> "Result":
        values = {attr: data[key] for key, attr in _FIELDS.items() if key in data and data[key] is not None}
        return cls(path=path, **values)

    def _repr_html_(self) -> str:
        return Results([self])._repr_html_()


_COLOURS = {
    "ok": "#1a7f37",
    "over_budget": "#bf8700",
    "corrupt": "#cf222e",
    "unsupported": "#8250df",
    "error": "#cf222e",
}


def _size(n: Optional[int]) -> str:
    if n is None:
        return ""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return ""


def _shown(path) -> str:
    if isinstance(path, bytes):
        return path.decode("utf-8", "backslashreplace")
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class Results(list):
    """A list of Result with a one-line summary and an HTML table in notebooks."""

    def summary(self) -> str:
        counts: Dict[str, int] = {}
        for r in self:
            counts[r.status] = counts.get(r.status, 0) + 1
        decoded = sum(r.decoded_bytes or 0 for r in self)
        parts = ", ".join(f"{n} {s}" for s, n in sorted(counts.items(), key=lambda kv: -kv[1]))
        files = "file" if len(self) == 1 else "files"
        return f"{len(self)} {files}: {parts or 'none'}; {_size(decoded) or '0 B'} decoded in all"

    def __repr__(self) -> str:
        return f"<Results {self.summary()}>"

    def _repr_html_(self) -> str:
        rows = []
        for r in self:
            colour = _COLOURS.get(r.status, "#57606a")
            size = f"{r.width}×{r.height}" if r.width is not None else ""
            rows.append(
                "<tr>"
                f"<td style='text-align:left'>{html.escape(_shown(r.path))}</td>"
                f"<td style='color:{colour};font-weight:bold'>{html.escape(r.status)}</td>"
                f"<td>{html.escape(r.format or '')}</td>"
                f"<td>{size}</td>"
                f"<td>{_size(r.decoded_bytes)}</td>"
                f"<td style='text-align:left'>{html.escape(r.reason or '')}</td>"
                "</tr>"
            )
        head = "".join(f"<th>{h}</th>" for h in ("path", "status", "format", "size", "decoded", "reason"))
        return (
            f"<div><p>{html.escape(self.summary())}</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )


class ImageRejected(Exception):
    """safe_open / load refused a file; `.result` is its verdict."""

    def __init__(self, result: Result):
        super().__init__(f"{_shown(result.path)}: {result.status}: {result.reason}")
        self.result = result


class OverBudget(ImageRejected):
    """Decoding the image would take more memory than the budget."""


class CorruptImage(ImageRejected):
    """The file's structure or pixel data is broken."""


class UnsupportedImage(ImageRejected):
    """Not an image, or a format the decoder cannot open."""


class CheckFailed(ImageRejected):
    """The file could not be checked (missing, unreadable, a directory)."""


def rejection(result: Result) -> ImageRejected:
    """The exception for a verdict that is not ok."""
    kind = {"over_budget": OverBudget, "corrupt": CorruptImage, "unsupported": UnsupportedImage}
    return kind.get(result.status, CheckFailed)(result)
