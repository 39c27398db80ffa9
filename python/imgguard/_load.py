"""Decoding through sharp in an imgguard process: the kernel only ever holds the pixels."""
import json
import os
import subprocess
import tempfile
from typing import Optional

from ._cli import find_cli
from ._result import CorruptImage, Result, rejection

__all__ = ["load"]

# Longest header line accepted (it is about 80 bytes).
_MAX_HEADER = 64 * 1024
_DTYPES = {1: "uint8", 2: "uint16", 4: "float32"}
_PIL_MODES = {(1, 1): "L", (1, 2): "LA", (1, 3): "RGB", (1, 4): "RGBA", (2, 1): "I;16"}


def load(path, budget=None, max_side: Optional[int] = None, as_pil: bool = False, fit: bool = False,
         auto_orient: bool = True):
    """The pixels of `path` as a numpy array of shape (height, width, channels), or a PIL image
    with `as_pil=True`, decoded by sharp in an imgguard process only when the decode fits the
    budget. `max_side` decodes smaller (longest side at most N pixels); `fit` shrinks an image
    that is over budget to the largest reduction that fits instead of refusing it. Raises
    OverBudget, CorruptImage, UnsupportedImage or CheckFailed (ImageRejected) before any pixel
    reaches this process. The pixels arrive into one buffer allocated once at their final size."""
    argv = [*find_cli(), "convert", "--format", "raw", "--raw-header", "-q"]
    if budget is not None:
        argv += ["--budget", str(budget)]
    if max_side is not None:
        argv += ["--max-side", str(int(max_side))]
    if fit:
        argv.append("--fit")
    if not auto_orient:
        argv.append("--no-auto-orient")
    argv += ["--", os.fsencode(path), "-"]
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err)
        try:
            line = proc.stdout.readline(_MAX_HEADER)
            shape = json.loads(line) if line.endswith(b"\n") else None
            if shape is None or "status" in shape:
                proc.stdout.close()
                code = proc.wait()
                err.seek(0)
                text = err.read()[-4000:].decode("utf-8", "replace").strip()
                if shape is None:
                    if code == 64:
                        raise ValueError(text)
                    raise RuntimeError(f"imgguard convert failed ({code}): {text}")
                raise rejection(_refused(path, shape))
            pixels = _receive(proc.stdout, shape, as_pil)
            code = proc.wait()
            if code != 0:
                raise RuntimeError(f"imgguard convert failed ({code}) after sending the pixels")
            return pixels
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()


def _refused(path, shape) -> Result:
    message = shape.get("reason") or shape.get("status")
    error = {"code": shape.get("code"), "message": message}
    return Result(path=path, status=shape["status"], reason=message, error=error)


def _receive(stream, shape, as_pil: bool):
    h, w, c, size, n = shape["height"], shape["width"], shape["channels"], shape["bytesPerSample"], shape["bytes"]
    if n != h * w * c * size:
        raise RuntimeError(f"imgguard sent an inconsistent header: {shape}")
    if as_pil and (size, c) in _PIL_MODES:
        buf = bytearray(n)
        _read_into(stream, memoryview(buf))
        from PIL import Image

        mode = _PIL_MODES[(size, c)]
        # Pillow copies from read-only bytes only: the copy is made, then the buffer let go.
        data = bytes(buf)
        del buf
        return Image.frombuffer(mode, (w, h), data, "raw", mode, 0, 1)
    import numpy as np

    array = np.empty((h, w, c), dtype=np.dtype(_DTYPES[size]))
    _read_into(stream, memoryview(array).cast("B"))
    if as_pil:
        from PIL import Image

        # Pillow has no mode for these (16-bit colour, float): 8 bits per sample.
        eight = array if size == 1 else (array / (257.0 if size == 2 else 1 / 255.0)).clip(0, 255).astype("uint8")
        return Image.fromarray(eight if c > 1 else eight[:, :, 0])
    return array


def _read_into(stream, view: memoryview) -> None:
    got = 0
    while got < len(view):
        n = stream.readinto(view[got:])
        if not n:
            raise CorruptImage(Result(path=None, status="corrupt", reason="the pixel stream ended early"))
        got += n
