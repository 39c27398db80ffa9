"""For each image path given: what Pillow's Image.open reports (format, mode, size, n_frames) and,
after load(), the bytes its in-memory image holds: line size x lines, read from the ImagingMemory
instance itself (its pixelsize and linesize fields), so padding would show. One JSON line each."""
import ctypes
import json
import sys
import warnings

from PIL import Image

warnings.simplefilter("ignore")
Image.MAX_IMAGE_PIXELS = None

capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
capsule_pointer.restype = ctypes.c_void_p
capsule_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
capsule_name = ctypes.pythonapi.PyCapsule_GetName
capsule_name.restype = ctypes.c_char_p
capsule_name.argtypes = [ctypes.py_object]


def image_bytes(core):
    """linesize x ysize of the core image. The struct starts with the mode, then int fields ending
    in xsize, ysize; after them six pointers (palette, image8, image32, image, block, blocks), then
    int pixelsize, int linesize (libImaging/Imaging.h, the same order in 9.x and 12.x)."""
    cap = core.ptr
    base = capsule_pointer(cap, capsule_name(cap))
    ints = (ctypes.c_int * 16).from_address(base)
    w, h = core.size
    for i in range(15):
        if ints[i] == w and ints[i + 1] == h:
            after = ((i + 2) * 4 + 7) // 8 * 8 + 6 * 8
            pixelsize = ctypes.c_int.from_address(base + after).value
            linesize = ctypes.c_int.from_address(base + after + 4).value
            if linesize < w * pixelsize or pixelsize not in (1, 2, 4):
                raise RuntimeError("unexpected ImagingMemoryInstance layout")
            return linesize * h
    raise RuntimeError("xsize, ysize not found in ImagingMemoryInstance")


def main():
    for path in sys.argv[1:]:
        try:
            im = Image.open(path)
            out = {"path": path, "format": im.format, "mode": im.mode, "size": list(im.size)}
            out["frames"] = getattr(im, "n_frames", 1)
            im.load()
            out["loadedMode"] = im.im.mode
            out["bytes"] = image_bytes(im.im)
        except Exception as e:  # noqa: BLE001 - every failure is a fact to report
            out = {"path": path, "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(out), flush=True)


main()
