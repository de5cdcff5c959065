"""The README's picture of the demo leaflet, as a phone shows it.

    leaflet_screenshot.py write AFTERMATH_COMMAND CLINIC_JSON PNG
        renders `aftermath demo --clinic CLINIC_JSON` in headless Chromium at a 412-px viewport
        and writes the whole page as PNG, with PNG.sha256 beside it: the SHA-256 of the HTML it
        was made from (`./build.sh screenshot` runs this).
    leaflet_screenshot.py check AFTERMATH_COMMAND CLINIC_JSON PNG
        fails when the demo leaflet's HTML is no longer the one the picture shows, or the
        picture is not a 412-px-wide PNG of that page's height.

The check compares the page's source, not pixels: fonts differ between machines, the words and
numbers the picture shows do not.
"""

import hashlib
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import chromium_page  # noqa: E402

WIDTH, HEIGHT = 412, 915


def demo_html(command, clinic, directory):
    subprocess.run([command, "demo", "--format", "json", "--clinic", clinic, "--out", directory],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return os.path.join(directory, "leaflet.html")


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def png_size(path):
    with open(path, "rb") as png:
        head = png.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def write(command, clinic, png):
    with tempfile.TemporaryDirectory() as directory:
        html = demo_html(command, clinic, directory)
        with chromium_page.Page(WIDTH, HEIGHT) as page:
            page.open(html)
            page.screenshot(png)
        with open(png + ".sha256", "w") as out:
            out.write(digest(html) + "\n")
    width, height = png_size(png)
    print(f"wrote {png}: {width} x {height} px ({height / HEIGHT:.2f} screens of {HEIGHT} px)")


def check(command, clinic, png):
    with tempfile.TemporaryDirectory() as directory:
        current = digest(demo_html(command, clinic, directory))
    recorded = open(png + ".sha256").read().strip()
    if current != recorded:
        sys.exit(f"{png} shows another leaflet than the demo writes now: run ./build.sh screenshot")
    width, height = png_size(png)
    if width != WIDTH or not HEIGHT < height < 5 * HEIGHT:
        sys.exit(f"{png} is {width} x {height} px; expected {WIDTH} px wide and under five screens")
    print(f"{png} is current ({width} x {height} px)")


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[1] not in ("write", "check"):
        sys.exit(__doc__)
    {"write": write, "check": check}[sys.argv[1]](*sys.argv[2:])
