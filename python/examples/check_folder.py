"""Check a folder of images, open only the safe ones, decode one outside this process.

    python3 python/examples/check_folder.py samples/
"""
import sys

import imgguard

folder = sys.argv[1] if len(sys.argv) > 1 else "."

results = imgguard.check(folder, budget="1GiB")  # one verdict per file, headers only
print(results.summary())
for r in results:
    if not r.ok:
        print(f"  skip {r.path}: {r.status}: {r.reason}")

for path in imgguard.filter_ok([r.path for r in results]):
    try:
        with imgguard.safe_open(path) as img:  # PIL.Image.open, only when it fits
            print(f"  opened {path}: {img.format} {img.size} {img.mode}")
    except imgguard.ImageRejected as e:  # e.g. within the budget for sharp, not for this Pillow
        print(f"  not opened {path}: {e.result.status}")

ok = [r for r in results if r.ok and r.format in ("jpeg", "png", "webp", "avif")]
if ok:
    try:
        pixels = imgguard.load(ok[0].path, max_side=256)  # decoded by sharp in an imgguard process
        print(f"  loaded {ok[0].path}: array {pixels.shape} {pixels.dtype}")
    except ImportError:
        print("  (numpy is not installed: imgguard.load(..., as_pil=True) returns a PIL image instead)")
