"""`make run PORT=...` serves on that port, and checks it is free before the install, migrations and demo data."""

import socket
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def check_port(port: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "bin/check_port.py", port], cwd=BASE_DIR, capture_output=True, text=True, timeout=30
    )


def test_a_port_in_use_is_named_with_another_to_choose():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        result = check_port(str(port))
    assert result.returncode == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stdout
    assert "make run PORT=" in result.stdout


def test_a_free_port_passes():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = check_port(str(port))
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_a_port_that_is_not_a_number_is_refused():
    result = check_port("eighty")
    assert result.returncode == 1
    assert "PORT must be a number" in result.stdout


def test_make_run_checks_the_port_first_and_serves_on_it():
    planned = subprocess.run(
        ["make", "-n", "run", "PORT=8001", f"PYTHON={sys.executable}", "VENV=data/no-such-venv"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.splitlines()
    check = next(index for index, line in enumerate(planned) if 'bin/check_port.py "8001"' in line)
    install = next(index for index, line in enumerate(planned) if "pip install" in line)
    assert check < install
    assert any(line.endswith("runserver 127.0.0.1:8001") for line in planned)
