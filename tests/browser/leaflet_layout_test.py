"""The demo leaflet as a patient's phone shows it: rendered by headless Chromium at a 412-px
viewport (a common Android width), it must be shorter than five screens of 915 px with its
chart, nothing may reach past the viewport's edges, and with a clinic overlay the clinic's
number must stand in the emergency, urgent and contact parts.

Usage: leaflet_layout_test.py AFTERMATH_COMMAND CLINIC_JSON
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import chromium_page  # noqa: E402

VIEWPORT = (412, 915)
SCREENS = 5  # the goal: the whole leaflet, chart included, in under five phone screens

COMMAND, CLINIC = sys.argv[1], sys.argv[2]


def demo_leaflet(directory, *extra):
    subprocess.run([COMMAND, "demo", "--format", "json", "--out", directory, *extra],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return os.path.join(directory, "leaflet.html")


class DemoLeafletOnAPhone(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory()
        cls.clinic = json.load(open(CLINIC))
        cls.page = chromium_page.Page(*VIEWPORT).__enter__()
        cls.page.open(demo_leaflet(cls.directory.name, "--clinic", CLINIC))
        cls.layout = cls.page.evaluate(chromium_page.LAYOUT_SCRIPT)

    @classmethod
    def tearDownClass(cls):
        cls.page.__exit__(None, None, None)
        cls.directory.cleanup()

    def test_the_viewport_is_a_phone(self):
        self.assertEqual(self.layout["width"], VIEWPORT[0])
        self.assertEqual(self.layout["viewport_height"], VIEWPORT[1])

    def test_fits_in_five_screens(self):
        screens = self.layout["height"] / VIEWPORT[1]
        print(f"demo leaflet with clinic: {self.layout['height']} px = {screens:.2f} screens of {VIEWPORT[1]} px")
        self.assertLess(self.layout["height"], SCREENS * VIEWPORT[1])

    def test_nothing_overflows(self):
        self.assertEqual(self.layout["overflowing"], [])

    def test_help_comes_first(self):
        first = self.page.evaluate("document.querySelector('body > section').className")
        self.assertEqual(first, "warnings")

    def test_the_clinic_number_is_where_help_is_asked_for(self):
        for level in ("emergency", "urgent", "contact_provider"):
            text = self.page.evaluate(f"document.querySelector('section.warnings > section.{level}').innerText")
            self.assertIn(self.clinic["phone"], text, level)
        for level in ("emergency", "urgent"):
            text = self.page.evaluate(f"document.querySelector('section.warnings > section.{level}').innerText")
            self.assertIn(self.clinic["out_of_hours_phone"], text, level)

    def test_the_chart_is_drawn(self):
        box = self.page.evaluate("(() => { const r = document.querySelector('figure svg').getBoundingClientRect();"
                                 " return [r.width, r.height]; })()")
        self.assertGreater(box[0], 300)
        self.assertGreater(box[1], 300)


class DemoLeafletWithoutClinic(unittest.TestCase):
    def test_fits_and_does_not_overflow(self):
        with tempfile.TemporaryDirectory() as directory:
            layout = chromium_page.measure(demo_leaflet(directory), *VIEWPORT)
        self.assertLess(layout["height"], SCREENS * VIEWPORT[1])
        self.assertEqual(layout["overflowing"], [])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
