"""Before the tests: are PostgreSQL and Redis reachable? Say which is not, and how to start it."""

import os
import socket
import sys
from urllib.parse import urlsplit

SERVICES = [
    (
        "PostgreSQL",
        "DATABASE_URL",
        5432,
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        "   (or: sudo systemctl start postgresql)",
    ),
    (
        "Redis",
        "REDIS_URL",
        6379,
        "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no"
        "   (or: sudo systemctl start redis)",
    ),
]


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=3):
            return True
    except OSError:
        return False


def main() -> int:
    missing = []
    for name, variable, default_port, how in SERVICES:
        url = urlsplit(os.environ.get(variable, ""))
        host, port = url.hostname or "127.0.0.1", url.port or default_port
        if not reachable(host, port):
            missing.append(f"{name} is not reachable at {host}:{port} ({variable}). Start it with:\n    {how}")
    for message in missing:
        print(message, file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
