"""Check the locked dependencies against the known vulnerabilities that PyPI publishes.

    python scripts/audit_dependencies.py requirements.lock

For each pinned package, PyPI's project page lists the known vulnerabilities (from the OSV
database) of its latest release. A pin at the latest release is therefore checked exactly; a
pin below it is reported as not verifiable here, with the newer version, so that it can be
looked at. pip-audit does the same job where its per-version queries reach PyPI: on machines
with only a package mirror they do not, which is why this script exists.

Exits 1 if a pinned version has a known vulnerability, 2 if PyPI could not be reached.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

PYPI = "https://pypi.org/pypi/{name}/json"


def pins(lock: Path) -> list[tuple[str, str]]:
    found = []
    for line in lock.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            found.append((name.strip(), version.split(";")[0].strip()))
    return found


def project(name: str) -> dict:
    with urllib.request.urlopen(PYPI.format(name=name), timeout=30) as response:  # noqa: S310
        return json.load(response)


def main(argv: list[str]) -> int:
    lock = Path(argv[1] if len(argv) > 1 else "requirements.lock")
    vulnerable, unverified = [], []
    for name, version in pins(lock):
        try:
            data = project(name)
        except (urllib.error.URLError, TimeoutError) as error:
            print(f"cannot reach PyPI for {name}: {error}")
            return 2
        latest = data["info"]["version"]
        if version != latest:
            unverified.append(f"{name}=={version} (latest {latest})")
            continue
        for vulnerability in data.get("vulnerabilities") or []:
            fixed = ", ".join(vulnerability.get("fixed_in") or []) or "no fix yet"
            vulnerable.append(f"{name}=={version}: {vulnerability['id']} (fixed in {fixed})")
    checked = len(pins(lock)) - len(unverified)
    print(f"{checked} pinned packages checked against PyPI's vulnerability data.")
    for line in unverified:
        print(f"  not at the latest release, check by hand: {line}")
    for line in vulnerable:
        print(f"  VULNERABLE {line}")
    print("No known vulnerability." if not vulnerable else f"{len(vulnerable)} known vulnerabilities.")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
