"""The Python client against the built CLI (IMGGUARD_BIN, else `imgguard` on PATH).

Run from the repository: IMGGUARD_BIN="node bin/imgguard.js" python3 -m unittest discover -s python/tests -t python
"""
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import time
import tracemalloc
import unittest

import imgguard
from imgguard import CorruptImage, Guard, OverBudget, UnsupportedImage

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = os.path.join(REPO, "samples")


def sample(name):
    return os.path.join(SAMPLES, name)


class Folder(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="imgguard-py-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def put(self, name, source=None, data=None):
        """A file in the temp folder; `name` may be bytes (any encoding)."""
        path = os.path.join(os.fsencode(self.dir), os.fsencode(name))
        with open(path, "wb") as f:
            if source:
                with open(sample(source), "rb") as s:
                    f.write(s.read())
            else:
                f.write(data)
        return path if isinstance(name, bytes) else os.fsdecode(path)


class CheckTest(Folder):
    def test_a_batch_of_mixed_files(self):
        files = [
            self.put("photo.jpg", "photo.jpg"),
            self.put("bomb.gif", "bomb.gif"),
            self.put("truncated.png", "truncated.png"),
            self.put("notes.jpg", data=b"shopping list\n"),
            os.path.join(self.dir, "missing.png"),
        ]
        results = imgguard.check(files)
        self.assertEqual([r.status for r in results], ["ok", "over_budget", "corrupt", "unsupported", "error"])
        self.assertEqual([r.path for r in results], files)
        self.assertEqual([r.ok for r in results], [True, False, False, False, False])
        self.assertIsNone(results[0].reason)
        self.assertIn("budget", results[1].reason)
        self.assertEqual((results[0].width, results[0].height, results[0].format), (320, 240, "jpeg"))
        self.assertEqual(results[0].decoded_bytes, 320 * 240 * 3)
        self.assertEqual(list(imgguard.filter_ok(files)), files[:1])

    def test_a_directory_is_walked_by_the_cli(self):
        self.put("a.jpg", "photo.jpg")
        self.put("b.gif", "bomb.gif")
        results = imgguard.check(self.dir)
        self.assertEqual([os.path.basename(r.path) for r in results], ["a.jpg", "b.gif"])
        self.assertEqual([r.status for r in results], ["ok", "over_budget"])

    def test_budget_and_decoder_are_passed(self):
        photo = self.put("photo.jpg", "photo.jpg")
        self.assertEqual(imgguard.check(photo, budget=1000)[0].status, "over_budget")
        self.assertEqual(imgguard.check(photo, budget="1MiB", decoder="pillow")[0].decoder, "pillow")
        with self.assertRaises(ValueError):
            imgguard.check(photo, budget="lots")

    def test_verify_decodes_and_finds_corrupt_pixel_data(self):
        good = self.put("photo.jpg", "photo.jpg")
        with open(sample("photo.jpg"), "rb") as f:
            data = f.read()
        cut = self.put("cut.jpg", data=data[: len(data) // 2])
        results = imgguard.check([good, cut], verify=True)
        self.assertEqual([r.path for r in results], [good, cut])
        self.assertTrue(results[0].verified)
        self.assertEqual(results[1].status, "corrupt")

    def test_html_table_and_summary(self):
        results = imgguard.check([self.put("photo.jpg", "photo.jpg"), self.put("b.gif", "bomb.gif")])
        page = results._repr_html_()
        self.assertIn("<table>", page)
        self.assertIn("#1a7f37", page)  # ok in green
        self.assertIn("over_budget", page)
        self.assertIn("225.0 KiB", page)  # decoded memory of the photo
        self.assertIn("320×240", page)
        self.assertTrue(results.summary().startswith("2 files: "))
        self.assertIn("<table>", results[0]._repr_html_())


class NamesTest(Folder):
    NAMES = [b"caf\xe9.jpg", b"new\nline.jpg", "ünïcødé ✓.jpg".encode(), b"-starts-with-dash.jpg"]

    def test_bytes_and_str_names_come_back_as_given(self):
        raw = [self.put(n, "photo.jpg") for n in self.NAMES]
        as_str = [os.fsdecode(p) for p in raw]
        for given in (raw, as_str):
            results = imgguard.check(given)
            self.assertEqual([r.path for r in results], given)
            self.assertEqual([type(r.path) for r in results], [type(given[0])] * len(given))
            self.assertEqual({r.status for r in results}, {"ok"})

    def test_names_found_in_a_walk_open_the_same_file(self):
        for n in self.NAMES:
            self.put(n, "photo.jpg")
        for given in (self.dir, os.fsencode(self.dir)):
            results = imgguard.check(given)
            self.assertEqual(len(results), len(self.NAMES))
            for r in results:
                self.assertIsInstance(r.path, type(given))
                self.assertTrue(os.path.exists(r.path), r.path)
                self.assertEqual(r.status, "ok")

    def test_safe_open_and_load_take_such_names(self):
        path = self.put(b"caf\xe9.jpg", "photo.jpg")
        with imgguard.safe_open(path) as img:
            self.assertEqual(img.size, (320, 240))
        self.assertEqual(imgguard.load(path).shape, (320, 240, 3))  # EXIF orientation 6 applied


class GuardTest(Folder):
    def test_paths_fed_one_by_one_are_answered_one_by_one_by_one_process(self):
        photo = self.put("photo.jpg", "photo.jpg")
        with Guard() as g:
            self.assertEqual(g.check(photo).status, "ok")
            pid = g.pid
            self.assertIsNotNone(pid)
            # The process is still reading its list: standard input is open.
            self.assertIsNone(g._proc.poll())
            self.assertEqual(g.check(os.path.join(self.dir, "nope.jpg")).status, "error")
            self.assertEqual(g.check(photo).status, "ok")
            self.assertEqual(g.pid, pid)
        self.assertIsNone(g.pid)

    def test_a_killed_process_is_restarted(self):
        photo = self.put("photo.jpg", "photo.jpg")
        with Guard() as g:
            g.check(photo)
            first = g.pid
            os.kill(first, signal.SIGKILL)
            for _ in range(100):
                if g._proc.poll() is not None:
                    break
                time.sleep(0.05)
            self.assertEqual(g.check(photo).status, "ok")
            self.assertNotEqual(g.pid, first)
            self.assertEqual(g.restarts, 1)

    def test_a_process_dying_mid_batch_costs_one_file_not_the_rest(self):
        files = [self.put(f"{i}.jpg", "photo.jpg") for i in range(50)]
        with Guard() as g:
            it = g.iter_check(files)
            first = next(it)
            os.kill(g.pid, signal.SIGKILL)
            rest = list(it)
        results = [first, *rest]
        self.assertEqual([r.path for r in results][:1], files[:1])
        self.assertGreaterEqual(len(results), len(files))
        self.assertLessEqual(sum(1 for r in results if not r.ok), 1)
        self.assertEqual({r.path for r in results}, set(files))

    def test_an_abandoned_iteration_leaves_the_guard_in_step(self):
        photo = self.put("photo.jpg", "photo.jpg")
        bomb = self.put("bomb.gif", "bomb.gif")
        with Guard() as g:
            it = g.iter_check([photo] * 200)
            next(it)
            it.close()
            self.assertEqual(g.check(bomb).path, bomb)
            self.assertEqual(g.check(bomb).status, "over_budget")

    def test_a_forked_child_starts_its_own_process(self):
        photo = self.put("photo.jpg", "photo.jpg")
        with Guard() as g:
            g.check(photo)
            parent = g.pid
            read, write = os.pipe()
            child = os.fork()
            if child == 0:  # a DataLoader worker, say
                try:
                    ok = g.check(photo).ok and g.pid not in (None, parent)
                    os.write(write, b"1" if ok else b"0")
                finally:
                    os._exit(0)
            os.close(write)
            self.assertEqual(os.read(read, 1), b"1")
            os.close(read)
            os.waitpid(child, 0)
            self.assertEqual(g.check(photo).status, "ok")
            self.assertEqual(g.pid, parent)

    def test_thousands_of_files_stream_through(self):
        photo = self.put("photo.jpg", "photo.jpg")
        with Guard() as g:
            results = list(g.iter_check([photo] * 3000))
        self.assertEqual(len(results), 3000)
        self.assertTrue(all(r.ok for r in results))


class SafeOpenTest(Folder):
    def test_ok_returns_the_image(self):
        with imgguard.safe_open(self.put("photo.jpg", "photo.jpg")) as img:
            self.assertEqual(img.size, (320, 240))

    def test_each_rejection_raises_its_exception_with_the_result(self):
        cases = [
            (self.put("bomb.gif", "bomb.gif"), OverBudget),
            (self.put("truncated.png", "truncated.png"), CorruptImage),
            (self.put("text.jpg", data=b"not an image at all\n"), UnsupportedImage),
        ]
        for path, kind in cases:
            with self.assertRaises(kind) as caught:
                imgguard.safe_open(path)
            self.assertIsInstance(caught.exception, imgguard.ImageRejected)
            self.assertEqual(caught.exception.result.path, path)
            self.assertFalse(caught.exception.result.ok)

    def test_the_pillow_profile_is_asked_for(self):
        self.assertTrue(imgguard.pillow_decoder().startswith("pillow"))


class LoadTest(Folder):
    def sharp_decode(self, path):
        script = (
            "require('sharp')(process.argv[1]).autoOrient().raw().toBuffer({resolveWithObject: true})"
            ".then(({data, info}) => {"
            " process.stdout.write(JSON.stringify(info) + '\\n'); process.stdout.write(data); })"
        )
        out = subprocess.run(["node", "-e", script, path], cwd=REPO, stdout=subprocess.PIPE, check=True).stdout
        nl = out.index(b"\n")
        import json

        return json.loads(out[:nl]), out[nl + 1 :]

    def test_pixels_equal_sharps_own_decode(self):
        for name in ("photo.jpg", "photo.webp", "logo-palette.png", "photo.avif"):
            path = sample(name)
            info, own = self.sharp_decode(path)
            array = imgguard.load(path)
            self.assertEqual(array.shape, (info["height"], info["width"], info["channels"]), name)
            self.assertEqual(array.tobytes(), own, name)

    def test_max_side_and_as_pil(self):
        array = imgguard.load(sample("photo.jpg"), max_side=100)
        self.assertEqual(max(array.shape[:2]), 100)
        img = imgguard.load(sample("photo.avif"), as_pil=True)
        self.assertEqual(img.mode, "RGB")
        self.assertEqual(img.size, (128, 96))

    def test_a_bomb_is_refused_without_this_process_growing(self):
        bomb = sample("bomb.gif")  # 23001 × 23001: 2 GB of pixels
        imgguard.load(sample("photo.jpg"))  # warm up (numpy, subprocess)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        try:
            with self.assertRaises(OverBudget) as caught:
                imgguard.load(bomb)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.assertIn("budget", caught.exception.result.reason)
        self.assertLess(peak, 1 << 20)  # bytes allocated by Python during the call
        self.assertLess(after - before, 16 * 1024)  # KiB: the peak resident size did not grow

    def test_corrupt_and_unsupported_raise(self):
        with self.assertRaises(CorruptImage):
            imgguard.load(sample("truncated.png"))
        text = self.put("text.jpg", data=b"hello\n")
        with self.assertRaises(UnsupportedImage):
            imgguard.load(text)


class FindingTest(unittest.TestCase):
    def test_version_reports_both_sides(self):
        v = imgguard.version()
        self.assertEqual(v["python"], imgguard.__version__)
        self.assertRegex(v["cli"], r"\d+\.\d+\.\d+")

    def test_a_missing_cli_says_how_to_install_it(self):
        saved = dict(os.environ)
        try:
            os.environ["IMGGUARD_BIN"] = "/nonexistent/imgguard"
            with self.assertRaises(imgguard.CliNotFound) as caught:
                imgguard.find_cli()
            self.assertIn("npm install -g", str(caught.exception))
            del os.environ["IMGGUARD_BIN"]
            os.environ["PATH"] = "/nonexistent"
            with self.assertRaises(imgguard.CliNotFound):
                imgguard.check(sample("photo.jpg"))
        finally:
            os.environ.clear()
            os.environ.update(saved)


if __name__ == "__main__":
    unittest.main()
