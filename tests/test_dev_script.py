"""``dev.py serve`` takes a port: the quick start must work when 8000 is taken."""

import importlib.util
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location("dev", Path(__file__).parent.parent / "dev.py")
dev = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dev)


@pytest.mark.parametrize(
    "args, port",
    [([], 8000), (["8001"], 8001), (["--port", "8002"], 8002), (["--port=8003"], 8003)],
)
def test_serve_takes_a_port(args, port):
    assert dev.serve_port(args) == port


@pytest.mark.parametrize("args", [["abc"], ["--port"], ["0"], ["70000"], ["8001", "8002"]])
def test_serve_refuses_what_is_not_a_port(args):
    with pytest.raises(SystemExit):
        dev.serve_port(args)
