# Pillow's full decode over the same walk as every contender (depth-first, names in byte order):
# Image.open(f).load() per file, one line per file: the size, or the error.
import os
import sys

from PIL import Image


def walk(d):
    with os.scandir(d) as it:
        entries = sorted(it, key=lambda e: os.fsencode(e.name))
    for e in entries:
        if e.is_dir(follow_symlinks=False):
            yield from walk(e.path)
        elif e.is_file(follow_symlinks=False):
            yield e.path


out = []
for path in walk(sys.argv[1]):
    try:
        with Image.open(path) as im:
            im.load()
            out.append(f"{path} {im.size[0]}x{im.size[1]}")
    except Exception as e:  # a file Pillow cannot read is a line, not the end of the run
        out.append(f"{path} error {type(e).__name__}")
sys.stdout.write("\n".join(out) + "\n")
