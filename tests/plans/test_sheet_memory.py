"""An uploaded progress sheet cannot swell the server (issue 15, item 6): each file is read in a
child process, as a web worker would read it, and the child's peak memory stays under 300 MB,
for a packed gigabyte as for the largest sheets the limits accept."""

from __future__ import annotations

import json
import random
import re
import string
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from config import BASE_DIR
from tests.plans.crafted_sheets import HEADER, bomb, with_parts

PEAK_MB = 300
# Reads the file as the upload view does, then reports the process's peak resident memory. The
# peak is the kernel's VmHWM, which starts afresh with the new program; getrusage's ru_maxrss
# would also count the test runner's own size at the fork, which Linux carries over the exec.
CHILD = """
import json, resource, sys
from types import SimpleNamespace

resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))  # a runaway fails, not the machine
from config import TestConfig
from tracker import create_app
from tracker.plans.progress_sheet import read_upload

def peak_mb():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024

app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
data = open(sys.argv[1], "rb").read()
with app.test_request_context():
    before = peak_mb()
    result = read_upload(SimpleNamespace(actions=[]), data)
print(json.dumps({"before_mb": before, "peak_mb": peak_mb(),
                  "problems": [str(problem) for problem in result.problems][:3]}))
"""


def read_in_a_worker(path: Path) -> dict:
    finished = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", CHILD, str(path)],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    report = json.loads(finished.stdout.strip().splitlines()[-1])
    print(
        f"{path.name}: peak {report['peak_mb']:.0f} MB (app loaded: {report['before_mb']:.0f} MB)"
    )
    return report


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("sheets")


def test_a_packed_gigabyte_is_refused_before_it_is_unpacked(files):
    path = files / "bomb.xlsx"
    bomb(str(path), 1024**3)
    assert path.stat().st_size < 2 * 1024 * 1024
    report = read_in_a_worker(path)
    assert report["problems"] == ["The workbook unpacks to more than a progress sheet can hold."]
    assert report["peak_mb"] < PEAK_MB


def test_the_largest_sheet_the_limits_accept_stays_within_bounds(files):
    """2,000 rows with long notes in shared strings near their limit, and a styles part near
    its own, every one of them a different style."""
    words = ["".join(random.choices(string.ascii_lowercase, k=7)) for _ in range(5000)]
    path = files / "largest.xlsx"
    workbook = xlsxwriter.Workbook(str(path))  # as Excel does, text goes to shared strings
    sheet = workbook.add_worksheet("Progress")
    sheet.write_row(0, 0, HEADER)
    for number in range(2000):
        note = " ".join(random.choices(words, k=455))  # about 3,600 characters, all different
        row = [number + 1, 1, f"Action {number}", "On track", 10, "On track", 20, note]
        sheet.write_row(number + 1, 0, row)
    workbook.close()
    with zipfile.ZipFile(path) as archive:
        strings = archive.getinfo("xl/sharedStrings.xml").file_size
    with zipfile.ZipFile(path) as archive:
        stylesheet = archive.read("xl/styles.xml").decode()
    styles = with_many_styles(stylesheet, 1000 * 1024)
    path.write_bytes(with_parts(path.read_bytes(), {"xl/styles.xml": styles}))
    assert 7 * 1024 * 1024 < strings <= 8 * 1024 * 1024
    report = read_in_a_worker(path)
    assert report["problems"] and "no action 1 in this plan" in report["problems"][0]
    assert report["peak_mb"] < PEAK_MB


def with_many_styles(stylesheet: str, size: int) -> str:
    """The stylesheet with its cell styles replaced by as many as fit in about `size` bytes,
    each one different."""
    xf = '<xf numFmtId="{}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    count = size // len(xf.format(10))
    many = "".join(xf.format(number % 50) for number in range(count))
    return re.sub(
        r"<cellXfs count=\"\d+\">.*?</cellXfs>",
        f'<cellXfs count="{count}">{many}</cellXfs>',
        stylesheet,
        flags=re.S,
    )
