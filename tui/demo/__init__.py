"""An embedded Composio-compatible server with seeded, live tool-execution traffic.

It stands in for a system toolwatch does not control, so it shares nothing with the client
side but `tui.constants` (the wire contract) and uses only the standard library.
"""

from tui.demo.cli import main
from tui.demo.fault_spec import FAULT_SPEC_HELP, parse_fault_spec
from tui.demo.faults import FaultPlan
from tui.demo.server import DemoServer, RecordedRequest

__all__ = [
    "FAULT_SPEC_HELP",
    "DemoServer",
    "FaultPlan",
    "RecordedRequest",
    "main",
    "parse_fault_spec",
]
