"""The layers of tui/, checked on the source: who may import whom, no cycles, small modules.

Read from the files' syntax, never by importing them, so imports under
``if TYPE_CHECKING:`` and inside functions count too. (That the headless commands never
load Textual at run time is tests/integration/test_cli.py's job.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.layering import (
    Layer,
    Module,
    OnlyImports,
    Rule,
    describe_cycle,
    find_cycle,
    foreign_imports,
    layer_violations,
    load_modules,
    oversized,
)

ROOT = Path(__file__).resolve().parents[2]

# Bottom first: a module may import from its own layer or a lower one, never a higher one.
# "tui.x" is that module; "tui.x.*" is the package tui.x and everything in it.
# A new module must be placed here before the tests pass.
LAYERS = (
    Layer(
        "bottom",
        (
            "tui",  # the package's __init__: only __version__
            "tui.errors",
            "tui.locations",
            "tui.files",
            "tui.fmt",
            "tui.sanitize",
            "tui.redact",
            "tui.jsonout",
            "tui.jsontree",
            "tui.urlpath",
            "tui.constants",
        ),
    ),
    Layer("settings", ("tui.config", "tui.debuglog", "tui.crash")),
    Layer("models", ("tui.models.*",)),
    Layer("query", ("tui.query.*",)),
    Layer("sources", ("tui.sources.*",)),
    Layer(
        "core",
        (
            "tui.tail.*",
            "tui.store",
            "tui.diagnose",
            "tui.family",
            "tui.diff",
            "tui.curl",
            "tui.export",
            "tui.clipboard",
            "tui.notify",
            "tui.views",
            "tui.stats.*",
            "tui.rules.*",
        ),
    ),
    Layer("session", ("tui.session.*",)),
    # The embedded demo server stands apart (see DEMO below); placing it under top means
    # only the top layer may start one.
    Layer("demo", ("tui.demo.*",)),
    Layer("top", ("tui.ui.*", "tui.cli.*", "tui.serve.*", "tui.__main__")),
)

# ui and cli share the top layer but are two front ends, not one.
RULES = (
    Rule(
        importer="tui.ui.*",
        target="tui.cli.*",
        allow_in_functions=False,
        why="the UI may not import the CLI",
    ),
    Rule(
        importer="tui.cli.*",
        target="tui.ui.*",
        allow_in_functions=True,
        why="the CLI imports the UI only inside the function that launches it "
        "(the headless commands must not load Textual)",
    ),
)

DEMO = OnlyImports(
    importer="tui.demo.*",
    allowed=("tui.constants", "tui.demo.*"),
    why="the demo server imports only tui.constants and its own modules",
)

MOST_LINES = 450
LINE_LIMITS = {"tui/ui/app.py": 399}  # the App only wires timers, workers and the screen


@pytest.fixture(scope="module")
def modules() -> dict[str, Module]:
    found = load_modules(ROOT, "tui")
    assert "tui.ui.app" in found and "tui.models.entry" in found, "tui/ not found"
    return found


def fail_on(problems: list[str]) -> None:
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_only_the_ui_imports_textual(modules: dict[str, Module]) -> None:
    fail_on(foreign_imports(modules, "textual", allowed_in="tui.ui"))


def test_no_import_cycles(modules: dict[str, Module]) -> None:
    cycle = find_cycle(modules)
    if cycle:
        pytest.fail(describe_cycle(cycle), pytrace=False)


def test_imports_point_down_the_layers(modules: dict[str, Module]) -> None:
    fail_on(layer_violations(modules, LAYERS, RULES, [DEMO]))


def test_modules_stay_small(modules: dict[str, Module]) -> None:
    fail_on(oversized(modules, MOST_LINES, LINE_LIMITS))
