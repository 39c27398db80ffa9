"""Writes fixture images with the running Pillow into the directory given: every mode each
writer takes, for the formats imgguard sizes for Pillow. Prints the names written."""
import os
import sys

from PIL import Image

out = sys.argv[1]
SIZE = (37, 23)


def make(mode):
    im = Image.new(mode, SIZE)
    if mode in ("P", "PA"):
        im.putpalette([(i * 7) % 256 for i in range(768)])
    # Some non-uniform content, so writers that optimise flat images still write the mode.
    for x in range(0, SIZE[0], 3):
        im.putpixel((x, x % SIZE[1]), 1 if mode in ("1", "P", "L", "I", "I;16", "F") else (1,) * len(mode))
    return im


def save(name, im, **kw):
    try:
        im.save(os.path.join(out, name), **kw)
        print(name)
    except Exception:  # noqa: BLE001 - a writer this release lacks
        pass


for mode in ("1", "L", "P", "RGB", "RGBA", "LA", "I", "I;16", "F", "CMYK"):
    tag = mode.replace(";", "")
    for ext in ("bmp", "tga", "png", "ppm", "pgm", "pbm", "pfm", "qoi", "dds", "tif", "gif", "webp", "jpg"):
        save(f"{tag}.{ext}", make(mode))
    save(f"{tag}-rle.tga", make(mode), compression="tga_rle")
    save(f"{tag}.ico", make(mode), sizes=[(16, 16), (32, 32)])
    save(f"{tag}-bmp.ico", make(mode), sizes=[(16, 16), (32, 32)], bitmap_format="bmp")
for fmt in ("DXT1", "DXT3", "DXT5", "BC1", "BC2", "BC3", "BC5"):
    save(f"{fmt}.dds", make("RGBA"), pixel_format=fmt)
frames = [make("P") for _ in range(3)]
for i, f in enumerate(frames):
    f.putpixel((i, i), 200)
save("anim.gif", frames[0], save_all=True, append_images=frames[1:])
save("pages.tif", frames[0], save_all=True, append_images=frames[1:])
save("pages.mpo", make("RGB"), save_all=True, append_images=[make("RGB")])
