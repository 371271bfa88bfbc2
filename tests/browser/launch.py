"""Start a real ``streamlit run`` of the app on a database of the test's choosing.

``secrets=`` gives the server its own secrets (e.g. an ``[auth]`` section for ``st.login``) in a
temporary ``secrets.toml`` passed with ``--secrets.files``: the repo's ``.streamlit/`` is never
written, and a developer's own ``.streamlit/secrets.toml`` is then not read.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def secrets_toml(secrets: Mapping[str, Mapping[str, object]]) -> str:
    """TOML for ``{section: {key: value}}`` with str/bool/int/float values (what [auth] needs)."""
    lines: list[str] = []
    for section, values in secrets.items():
        lines.append(f"[{section}]")
        for key, value in values.items():
            if isinstance(value, bool):
                lines.append(f"{key} = {'true' if value else 'false'}")
            elif isinstance(value, int | float | str):
                lines.append(f"{key} = {json.dumps(value)}")  # a JSON string is a TOML string
            else:
                raise TypeError(f"secrets_toml: unsupported value for {section}.{key}")
        lines.append("")
    return "\n".join(lines)


@contextmanager
def streamlit_server(
    database_url: str | None,
    log_path: Path,
    *,
    script: Path | str = "streamlit_app.py",
    port: int | None = None,
    secrets: Mapping[str, Mapping[str, object]] | None = None,
    **env: str,
) -> Iterator[str]:
    """A fresh server process (nobody has visited it yet); yields its base URL.

    ``script`` runs instead of the app (cwd stays the repo, so its ``.streamlit/config.toml``
    applies); ``port`` fixes the port (when an ``[auth]`` redirect_uri must name it beforehand);
    ``secrets`` replaces all secrets files by one temporary ``secrets.toml``.
    """
    options = []
    with tempfile.TemporaryDirectory(prefix="streamlit-secrets-") as folder:
        if secrets is not None:
            secrets_file = Path(folder) / "secrets.toml"
            secrets_file.write_text(secrets_toml(secrets), encoding="utf-8")
            secrets_file.chmod(0o600)
            options += ["--secrets.files", str(secrets_file)]
        for attempt in range(1 if port else 3):
            try:
                with _process(
                    database_url, log_path, script, port or free_port(), options, env
                ) as base:
                    yield base
                return
            except PortTaken:
                if port or attempt == 2:
                    raise


class PortTaken(RuntimeError):
    """Another process took the free port between asking for it and the server binding it (test
    workers start servers side by side)."""


@contextmanager
def _process(
    database_url: str | None,
    log_path: Path,
    script: Path | str,
    port: int,
    options: list[str],
    env: Mapping[str, str],
) -> Iterator[str]:
    database = {} if database_url is None else {"DATABASE_URL": database_url}
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                *options,
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **database, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(process, base, log_path)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_until_up(process: subprocess.Popen, base: str, log_path: Path) -> None:
    """Until this process serves ``base``: its health check answers and its log names the address
    (a health answer alone could come from another test worker's server on the same port)."""
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            log = log_path.read_text()
            if "is not available" in log or "already in use" in log:
                raise PortTaken(log)
            raise RuntimeError(f"streamlit did not start: {log}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                if answer.status == 200 and f"URL: {base}" in log_path.read_text():
                    return
        except OSError:
            pass  # not listening yet
        if time.monotonic() > deadline:
            raise RuntimeError(f"streamlit did not start: {log_path.read_text()}")
        time.sleep(0.3)
