"""Before `make run` spends its setup time: is its port free? If not, say so and how to choose another."""

import socket
import sys

HOST = "127.0.0.1"


def main(port_text: str) -> int:
    try:
        port = int(port_text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        print(f"PORT must be a number from 1 to 65535; got {port_text!r}.")
        return 1
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the development server binds: a port left in TIME_WAIT by a stopped server is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            print(
                f"Port {port} on {HOST} is already in use (another Kindred, or another server). "
                f"Stop that server, or serve on another port: make run PORT={port + 1 if port < 65535 else 8001}"
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ""))
