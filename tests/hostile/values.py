"""Hypothesis strategies for hostile values, and the markers that show a payload got through.

A value sent in a form or a query string is text, so every strategy makes text: malformed and
out-of-range numbers and dates, oversized strings, control characters and odd unicode, markup
and script, template-injection probes, unknown choices, and ids that do not exist.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def examples(count: int) -> settings:
    """Hypothesis settings for requests: a few examples each, slow ones allowed."""
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# What must never come back raw: a tag or handler a browser would run, a template evaluated.
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SVG = "'><svg onload=alert(1)>"
TEMPLATE_PROBES = ("{{7*7*7*7*7*7}}", "{% print 7*7*7*7*7*7 %}", "${7*7*7*7*7*7}")
TEMPLATE_RESULT = "117649"  # 7**6: shows a probe was evaluated
RAW_MARKUP = ("<script>alert(", "<img src=x onerror=", "<svg onload=")

SCRIPT_URLS = (
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript://example.org/%0Aalert(1)",
    "javascript:alert(1)//https://example.org",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
)
MARKUP = (SCRIPT, IMG, SVG, *TEMPLATE_PROBES, *SCRIPT_URLS)
FORMULAS = ("=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", "\n=1+1", " =1+1")
ODD_UNICODE = (
    "\u202eRTL override",
    "zero\u200dwidth\u200bjoiner",
    "e\u0301",  # NFD é
    "\u00e9",  # NFC é
    "Z\u0351\u0352\u0353\u0354\u0355\u0356",  # stacked combining marks
    "\U0001f3f3\ufe0f\u200d\U0001f308",  # emoji sequence
    "\U00010348\U0001d11e",  # astral plane
    "\ufeffBOM",
    "\u00a0\u2028\u2029\u3000",  # unusual spaces and line separators
    "\uff21\uff22\uff23",  # full-width letters
    "\u0661\u0662",  # Arabic-Indic digits (int() accepts them)
    "\ufdfd",
    "I\u0307stanbul",
    "\uffff\ufffe",  # noncharacters
)
CONTROL = tuple(chr(code) for code in (*range(0, 32), 0x7F, 0x85))
NUMBERS = (
    "-1",
    "0",
    "101",
    "2147483648",
    "9223372036854775808",
    "1" + "0" * 30,
    "-" + "9" * 25,
    "1.5",
    "NaN",
    "inf",
    "-inf",
    "1e309",
    "0x10",
    "1_000",
    " 7 ",
    "\u0661",
    "null",
    "[]",
)
DATES = (
    "2026-02-30",
    "2026-13-01",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-1-1",
    "2026/03/01",
    "2026-03-01T25:00",
    "-2026-03-01",
    "today",
    "2026-03-01\x00",
)
TIMES = ("24:00", "23:60", "12:30:99", "-1:00", "noon", "12:30\x00", "99:99")
NAMES = ("", "None", "__proto__", "constructor", "-", "a[b]", "a.b", "\x00")


def oversized() -> st.SearchStrategy[str]:
    """10k to 100k characters of one repeated unit (built, not drawn: drawing is slow)."""
    units = st.sampled_from(["a", "\u00e9", "\U0001f600", SCRIPT, "\x00", " ", "\n"])
    return st.builds(lambda unit, size: (unit * size)[:size], units, st.integers(10_000, 100_000))


def odd_text() -> st.SearchStrategy[str]:
    """Short text mixing the awkward pieces above with arbitrary characters."""
    pieces = st.one_of(
        st.sampled_from(MARKUP + FORMULAS + ODD_UNICODE + CONTROL + NUMBERS + DATES),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=20),
    )
    return st.lists(pieces, min_size=1, max_size=4).map("".join)


def hostile_text() -> st.SearchStrategy[str]:
    """Any hostile text, for a field of any kind."""
    return st.one_of(
        st.sampled_from(MARKUP),
        odd_text(),
        st.sampled_from(NUMBERS + DATES + TIMES + FORMULAS + NAMES),
        oversized(),
    )


def hostile_for(kind: str, name: str = "") -> st.SearchStrategy[str]:
    """Hostile text shaped for the kind of field, mixed with any hostile text."""
    shaped: dict[str, tuple[str, ...]] = {
        "date": DATES,
        "time": TIMES,
        "number": NUMBERS,
        "url": SCRIPT_URLS + ("https://", "http://[::1", "https://example.org:99999/"),
        "email": ("a@b", "@example.org", "a@example.org\r\nBcc: b@example.org", "a" * 300),
    }
    if kind == "hidden" or name.endswith(("_id", "version")):
        kind = "number"
    if kind in shaped:
        return st.one_of(st.sampled_from(shaped[kind]), hostile_text())
    return hostile_text()


def hostile_files() -> st.SearchStrategy[tuple[bytes, str]]:
    """(content, file name) pairs an uploader should refuse or store harmlessly."""
    names = st.one_of(
        st.sampled_from(
            [
                "../../etc/passwd",
                "..\\..\\boot.ini",
                "plan.pdf\x00.exe",
                "a" * 1000 + ".pdf",
                '"><img src=x onerror=alert(1)>.png',
                "\u202egnp.exe",
                "CON.pdf",
                "",
                ".",
                "plan\r\nX-Injected: 1.pdf",
            ]
        ),
        odd_text(),
    )
    contents = st.sampled_from(
        [
            b"",
            b"\x00" * 10,
            b"%PDF-1.4\n%%EOF\n",
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            b"<html><script>alert(1)</script></html>",
            b"PK\x03\x04" + b"\x00" * 30,  # a broken zip (xlsx, docx)
            b"format: tracker-catalogue/1\nprogramme: {key: x}\n",
            b"{{7*7}}: &a [*a, *a, *a]\n",
            "\u00e9\U0001f600".encode("utf-16"),
        ]
    )
    return st.tuples(contents, names)
