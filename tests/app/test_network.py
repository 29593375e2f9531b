"""The app is private by default: started the way `make run` starts it, it listens on loopback only."""
from __future__ import annotations

import ipaddress
import socket
import subprocess
import sys

import psutil
import pytest
from support.app import ROOT, app_env, free_port, stop_server, wait_for_server


def _other_addresses() -> list[str]:
    """This machine's addresses outside the loopback range (IPv4 and IPv6, link-local left out)."""
    out = []
    for addrs in psutil.net_if_addrs().values():
        for a in addrs:
            if a.family in (socket.AF_INET, socket.AF_INET6):
                ip = ipaddress.ip_address(a.address.split("%")[0])
                if not ip.is_loopback and not ip.is_link_local:
                    out.append(str(ip))
    return out


@pytest.fixture(scope="module")
def make_run_server(tmp_path_factory):
    """`make run`'s command line (the shipped .streamlit/config.toml applies), on a free port."""
    port = free_port()
    env = app_env(tmp_path_factory.mktemp("userdata"))
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for_server(proc, f"http://127.0.0.1:{port}"), "the app did not answer on 127.0.0.1"
        yield proc, port
    finally:
        stop_server(proc)


def test_accepts_a_connection_on_loopback(make_run_server):
    _, port = make_run_server
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass


def test_listens_on_loopback_only(make_run_server):
    proc, port = make_run_server
    listening = [c.laddr for c in psutil.Process(proc.pid).net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN and c.laddr.port == port]
    assert listening, "no listening socket found for the app's port"
    assert all(ipaddress.ip_address(addr.ip).is_loopback for addr in listening), listening


def test_the_port_is_free_on_every_other_address(make_run_server):
    """Nothing listens on the machine's other addresses: this test can bind the app's port there itself (binding
    sends no traffic), so a connection from the network to that port would be refused."""
    _, port = make_run_server
    others = _other_addresses()
    if not others:
        pytest.skip("this machine has no address outside loopback")
    for address in others:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.bind((address, port))  # EADDRINUSE here would mean the app listens on this address
