"""The deployment kit in deploy/ is valid for the tools that will read it: nginx accepts the site
and systemd the units, and the site's limits match the app's settings."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from config import Config

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SITE = DEPLOY / "nginx" / "tracker.conf"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
CERTIFICATES = "/etc/letsencrypt/live/tracker.example.eu/"


def needs(command: str):
    return pytest.mark.skipif(shutil.which(command) is None, reason=f"needs {command}")


def certificate(folder: Path) -> None:
    """A throwaway self-signed certificate: nginx -t opens the files the site names."""
    subprocess.run(  # noqa: S603 - fixed arguments
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=tracker.example.eu", "-keyout", str(folder / "privkey.pem"),
         "-out", str(folder / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip


@needs("nginx")
@needs("openssl")
def test_nginx_accepts_the_site(tmp_path):
    certificate(tmp_path)
    site = tmp_path / "site.conf"
    site.write_text(SITE.read_text().replace(CERTIFICATES, f"{tmp_path}/"))
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n  include {site};\n}}\n"
    )
    checked = subprocess.run(  # noqa: S603 - fixed arguments
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(main), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def test_the_site_lets_through_every_upload_the_app_accepts():
    limit = re.search(r"client_max_body_size (\d+)m;", SITE.read_text())
    assert limit, "the site sets no upload limit"
    assert int(limit.group(1)) * 1024 * 1024 >= Config.MAX_CONTENT_LENGTH


def test_the_site_sets_every_header_the_app_trusts_behind_one_proxy():
    site = SITE.read_text()
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port"):
        assert f"proxy_set_header {header} " in site
    assert "TRUST_PROXY_HOPS=1" in (DEPLOY / "tracker.env.example").read_text()


@needs("systemd-analyze")
@pytest.mark.parametrize("unit", UNITS, ids=[unit.name for unit in UNITS])
def test_systemd_accepts_the_unit(tmp_path, unit):
    # The units name the installation folder; here it is this checkout, with its .venv.
    copy = tmp_path / unit.name
    copy.write_text(unit.read_text().replace("/srv/tracker", str(ROOT)))
    checked = subprocess.run(  # noqa: S603 - fixed arguments
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True
    )
    complaints = [line for line in checked.stderr.splitlines() if unit.name in line]
    assert checked.returncode == 0 and not complaints, checked.stderr


def test_there_is_a_web_unit_and_a_scheduler_unit():
    assert {unit.name for unit in UNITS} == {"tracker-web.service", "tracker-scheduler.service"}
    scheduler = (DEPLOY / "systemd" / "tracker-scheduler.service").read_text()
    assert "flask tracker scheduler" in scheduler
