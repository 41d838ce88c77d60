"""The checks behind test_layers.py, on small made-up packages: each can fail and can pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import layering
from tests.layering import Layer, Module, OnlyImports, Rule


@pytest.fixture
def tree(tmp_path: Path):
    """Write files (relative path -> source) in a new folder and load the package `pkg`."""
    made: list[Path] = []

    def make(files: dict[str, str]) -> dict[str, Module]:
        root = tmp_path / f"tree{len(made)}"
        made.append(root)
        for relative, source in {"pkg/__init__.py": "", **files}.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(source, encoding="utf-8")
        return layering.load_modules(root, "pkg")

    return make


TYPING_ONLY = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    {}\n"
IN_A_FUNCTION = "def later():\n    {}\n"


def test_modules_are_named_by_their_dotted_path(tree) -> None:
    modules = tree({"pkg/a.py": "", "pkg/sub/__init__.py": "", "pkg/sub/b.py": ""})
    assert sorted(modules) == ["pkg", "pkg.a", "pkg.sub", "pkg.sub.b"]
    assert modules["pkg.sub"].is_package and not modules["pkg.sub.b"].is_package
    assert modules["pkg.sub.b"].path == "pkg/sub/b.py"


# -- a library only one package may import ------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "import textual",
        "from textual.app import App",
        "import textual.widgets as w",
        TYPING_ONLY.format("from textual.app import App"),
        IN_A_FUNCTION.format("from textual import on"),
        "class Box:\n    import textual\n",
        "try:\n    import textual\nexcept ImportError:\n    pass\n",
    ],
)
def test_a_library_imported_outside_its_package_is_named(tree, statement: str) -> None:
    modules = tree({"pkg/core.py": statement, "pkg/ui/__init__.py": "import textual\n"})
    problems = layering.foreign_imports(modules, "textual", allowed_in="pkg.ui")
    assert len(problems) == 1
    assert problems[0].startswith("pkg/core.py:")
    assert "imports textual" in problems[0] and "only pkg.ui may import textual" in problems[0]


def test_a_library_imported_only_inside_its_package_passes(tree) -> None:
    modules = tree(
        {
            "pkg/ui/__init__.py": "import textual\n",
            "pkg/ui/deep/screen.py": "from textual.screen import Screen\n",
            "pkg/core.py": "import textualize\nimport pkg.ui\n# import textual\n",
        }
    )
    assert layering.foreign_imports(modules, "textual", allowed_in="pkg.ui") == []


def test_typing_only_and_function_imports_are_said_so(tree) -> None:
    modules = tree(
        {
            "pkg/a.py": TYPING_ONLY.format("import textual"),
            "pkg/b.py": IN_A_FUNCTION.format("import textual"),
        }
    )
    assert sorted(layering.foreign_imports(modules, "textual", allowed_in="pkg.ui")) == [
        "pkg/a.py:3 imports textual (under TYPE_CHECKING): only pkg.ui may import textual",
        "pkg/b.py:2 imports textual (in a function): only pkg.ui may import textual",
    ]


# -- cycles -------------------------------------------------------------------------------


def cycle_in(tree, files: dict[str, str]) -> str:
    """The first line of the report of a cycle in the tree; "" when it has none."""
    cycle = layering.find_cycle(tree(files))
    return layering.describe_cycle(cycle).splitlines()[0] if cycle else ""


def test_a_chain_has_no_cycle(tree) -> None:
    chain = {
        "pkg/a.py": "import pkg.b\n",
        "pkg/b.py": "from pkg.c import thing\n",
        "pkg/c.py": "import json\nthing = 1\n",
    }
    assert cycle_in(tree, chain) == ""


@pytest.mark.parametrize(
    "back",
    [
        "import pkg.a",
        TYPING_ONLY.format("from pkg.a import A"),
        IN_A_FUNCTION.format("import pkg.a"),
    ],
)
def test_a_cycle_is_found_however_the_import_is_written(tree, back: str) -> None:
    modules = tree({"pkg/a.py": "from pkg import b\nA = 1\n", "pkg/b.py": back})
    cycle = layering.find_cycle(modules)
    assert [(imp.importer.name, imp.target) for imp in cycle] == [
        ("pkg.a", "pkg.b"),
        ("pkg.b", "pkg.a"),
    ]
    message = layering.describe_cycle(cycle)
    assert message.startswith("import cycle: pkg.a -> pkg.b -> pkg.a\n")
    assert "pkg/a.py:1 imports pkg.b" in message and "pkg/b.py:" in message


def test_a_long_cycle_is_reported_in_order(tree) -> None:
    loop = {f"pkg/{a}.py": f"import pkg.{b}\n" for a, b in ("ab", "bc", "cd", "db")}
    assert cycle_in(tree, loop) == "import cycle: pkg.b -> pkg.c -> pkg.d -> pkg.b"


def test_a_package_importing_its_submodules_is_no_cycle(tree) -> None:
    files = {"pkg/__init__.py": "from pkg import a, b\n", "pkg/a.py": "from pkg import b\n"}
    assert cycle_in(tree, {**files, "pkg/b.py": "X = 1\n"}) == ""


def test_a_submodule_importing_a_name_from_its_package_is_a_cycle(tree) -> None:
    package = {"pkg/__init__.py": "from pkg.a import f\nVERSION = 1\n"}
    assert cycle_in(tree, {**package, "pkg/a.py": "def f(): ...\n"}) == ""
    assert cycle_in(tree, {**package, "pkg/a.py": "from pkg import VERSION\n"}) == (
        "import cycle: pkg -> pkg.a -> pkg"
    )


def test_relative_imports_are_resolved(tree) -> None:
    relative = {
        "pkg/sub/__init__.py": "from . import x\n",
        "pkg/sub/x.py": "from ..top import T\n",
        "pkg/top.py": "from .sub.x import X\nT = 1\n",
    }
    assert cycle_in(tree, relative) == "import cycle: pkg.sub.x -> pkg.top -> pkg.sub.x"


# -- layers -------------------------------------------------------------------------------

LAYERS = (
    Layer("bottom", ("pkg", "pkg.errors")),
    Layer("models", ("pkg.models.*",)),
    Layer("top", ("pkg.ui.*", "pkg.cli.*")),
)


def layered_tree(tree, **sources: str) -> dict[str, Module]:
    files = {
        "pkg/errors.py": "",
        "pkg/models/__init__.py": "",
        "pkg/models/entry.py": "import pkg.errors\n",
        "pkg/ui/__init__.py": "from pkg.models import entry\n",
        "pkg/cli/__init__.py": "",
    }
    for name, source in sources.items():
        files[name.replace("__", "/") + ".py"] = source
    return tree(files)


def test_imports_down_and_sideways_pass(tree) -> None:
    modules = layered_tree(tree, pkg__models__call="from pkg.models.entry import E\nimport pkg\n")
    assert layering.layer_violations(modules, LAYERS) == []


@pytest.mark.parametrize(
    "statement",
    [
        "import pkg.ui",
        "from pkg import ui",
        TYPING_ONLY.format("from pkg.ui import App"),
        IN_A_FUNCTION.format("import pkg.cli"),
    ],
)
def test_an_import_up_a_layer_is_named(tree, statement: str) -> None:
    modules = layered_tree(tree, pkg__models__call=statement)
    [problem] = layering.layer_violations(modules, LAYERS)
    assert problem.startswith("pkg/models/call.py:")
    assert problem.endswith(": models may not import up into top")


def test_a_module_in_no_layer_is_named(tree) -> None:
    modules = layered_tree(tree, pkg__stray="")
    assert layering.layer_violations(modules, LAYERS) == [
        "pkg/stray.py: pkg.stray is in no layer; place it in the layer table"
    ]


CLI_LAUNCHES_UI = Rule("pkg.cli.*", "pkg.ui.*", allow_in_functions=True, why="lazily only")


def test_a_rule_may_allow_an_import_only_inside_a_function(tree) -> None:
    modules = layered_tree(tree, pkg__cli__main=IN_A_FUNCTION.format("from pkg.ui import App"))
    assert layering.layer_violations(modules, LAYERS, [CLI_LAUNCHES_UI]) == []
    for statement in ("import pkg.ui", TYPING_ONLY.format("from pkg.ui import App")):
        modules = layered_tree(tree, pkg__cli__main=statement)
        [problem] = layering.layer_violations(modules, LAYERS, [CLI_LAUNCHES_UI])
        assert problem.startswith("pkg/cli/main.py:") and problem.endswith(": lazily only")


def test_a_rule_may_forbid_an_import_everywhere(tree) -> None:
    never = Rule("pkg.ui.*", "pkg.cli.*", allow_in_functions=False, why="ui never imports cli")
    modules = layered_tree(tree, pkg__ui__app=IN_A_FUNCTION.format("import pkg.cli"))
    assert layering.layer_violations(modules, LAYERS, [never]) == [
        "pkg/ui/app.py:2 imports pkg.cli (in a function): ui never imports cli"
    ]
    assert layering.layer_violations(layered_tree(tree), LAYERS, [never]) == []


def test_a_module_may_be_limited_to_a_few_imports(tree) -> None:
    alone = OnlyImports("pkg.models.*", ("pkg.models.*",), why="models stand alone")
    modules = layered_tree(tree, pkg__models__call="from pkg.models.entry import E\n")
    assert layering.layer_violations(modules, LAYERS, only=[alone]) == [
        "pkg/models/entry.py:1 imports pkg.errors: models stand alone"
    ]
    modules = layered_tree(tree, pkg__models__entry="import json\n")
    assert layering.layer_violations(modules, LAYERS, only=[alone]) == []


# -- size ---------------------------------------------------------------------------------


def test_a_module_over_the_limit_is_named(tree) -> None:
    modules = tree({"pkg/big.py": "x = 1\n" * 11, "pkg/fits.py": "x = 1\n" * 10})
    assert layering.oversized(modules, 10) == ["pkg/big.py has 11 lines; at most 10"]
    assert layering.oversized(modules, 11) == []


def test_a_module_may_have_its_own_lower_limit(tree) -> None:
    modules = tree({"pkg/app.py": "x = 1\n" * 8, "pkg/other.py": "x = 1\n" * 8})
    assert layering.oversized(modules, 10, {"pkg/app.py": 7}) == [
        "pkg/app.py has 8 lines; at most 7"
    ]
