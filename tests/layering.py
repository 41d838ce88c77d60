"""Static checks of how the modules of a package import each other, read from their source.

The files are parsed, never imported, so a check sees every import: those run when the
module loads, those under ``if TYPE_CHECKING:`` and those inside functions. Each check
returns a list of messages, one a violation, naming the file, the line and the import;
an empty list means the tree keeps the rule. tests/unit/test_layers.py runs them over
tui/ with the project's layer table; tests/unit/test_layering_checks.py shows each can
fail and pass on small made-up trees.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Module:
    name: str  # dotted: "tui.models.entry"; a package's __init__ is the package's name
    path: str  # relative to the root, for messages: "tui/models/entry.py"
    is_package: bool
    source: str

    @property
    def line_count(self) -> int:
        return len(self.source.splitlines())


@dataclass(frozen=True)
class Import:
    importer: Module
    target: str  # dotted; a tui module when it names one, else what the statement names
    line: int
    type_checking: bool  # under `if TYPE_CHECKING:`
    in_function: bool  # runs only when the function does

    @property
    def where(self) -> str:
        kinds = []
        if self.type_checking:
            kinds.append("under TYPE_CHECKING")
        if self.in_function:
            kinds.append("in a function")
        suffix = f" ({', '.join(kinds)})" if kinds else ""
        return f"{self.importer.path}:{self.line} imports {self.target}{suffix}"


def load_modules(root: Path, package: str) -> dict[str, Module]:
    """Every .py file under root/package, by dotted name."""
    modules: dict[str, Module] = {}
    for path in sorted((root / package).rglob("*.py")):
        relative = path.relative_to(root)
        parts = list(relative.with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        name = ".".join(parts)
        modules[name] = Module(name, relative.as_posix(), is_package, path.read_text("utf-8"))
    return modules


# -- reading imports ----------------------------------------------------------------------


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(
    nodes: Iterable[ast.AST], type_checking: bool = False, in_function: bool = False
) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool, bool]]:
    """Every import statement among nodes and under them, with where it stands."""
    for node in nodes:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, type_checking, in_function
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _walk(node.body, True, in_function)
            yield from _walk(node.orelse, type_checking, in_function)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from _walk(ast.iter_child_nodes(node), type_checking, True)
        else:
            yield from _walk(ast.iter_child_nodes(node), type_checking, in_function)


def _owner(name: str, known: Mapping[str, Module]) -> str:
    """The longest known module that `name` is or lies in; `name` itself when none is."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in known:
            return candidate
    return name


def _from_base(module: Module, node: ast.ImportFrom) -> str:
    """The absolute name a `from X import ...` reads from, resolving relative imports."""
    if node.level == 0:
        return node.module or ""
    package = module.name.split(".")
    if not module.is_package:
        package.pop()
    if node.level > 1:
        package = package[: len(package) - (node.level - 1)]
    return ".".join([*package, *([node.module] if node.module else [])])


def imports_of(module: Module, known: Mapping[str, Module]) -> list[Import]:
    """Every import in the module; a name that is a module of the tree counts as that module."""
    found: list[Import] = []
    tree = ast.parse(module.source, filename=module.path)
    for node, type_checking, in_function in _walk(tree.body):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [_owner(alias.name, known) for alias in node.names]
        else:
            base = _from_base(module, node)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                targets.append(submodule if submodule in known else _owner(base, known))
        for target in dict.fromkeys(targets):
            found.append(Import(module, target, node.lineno, type_checking, in_function))
    return found


def all_imports(modules: Mapping[str, Module]) -> list[Import]:
    return [imp for module in modules.values() for imp in imports_of(module, modules)]


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


# -- the checks ---------------------------------------------------------------------------


def foreign_imports(modules: Mapping[str, Module], library: str, allowed_in: str) -> list[str]:
    """Imports of `library` from any module outside the package `allowed_in`."""
    return [
        f"{imp.where}: only {allowed_in} may import {library}"
        for imp in all_imports(modules)
        if _within(imp.target, library) and not _within(imp.importer.name, allowed_in)
    ]


def find_cycle(modules: Mapping[str, Module]) -> list[Import]:
    """The imports of one cycle among the tree's modules, in order; empty when there is none."""
    edges: dict[str, list[Import]] = {name: [] for name in modules}
    for imp in all_imports(modules):
        if imp.target in modules and imp.target != imp.importer.name:
            edges[imp.importer.name].append(imp)
    done: set[str] = set()
    path: list[Import] = []
    on_path: dict[str, int] = {}  # module -> how many edges of `path` lead to it

    def visit(name: str) -> list[Import]:
        on_path[name] = len(path)
        for imp in edges[name]:
            if imp.target in on_path:
                return [*path[on_path[imp.target] :], imp]
            if imp.target not in done:
                path.append(imp)
                cycle = visit(imp.target)
                if cycle:
                    return cycle
                path.pop()
        del on_path[name]
        done.add(name)
        return []

    for name in sorted(modules):
        if name not in done:
            cycle = visit(name)
            if cycle:
                return cycle
    return []


def describe_cycle(cycle: Sequence[Import]) -> str:
    names = " -> ".join([imp.importer.name for imp in cycle] + [cycle[-1].target])
    return "import cycle: " + names + "\n" + "\n".join("  " + imp.where for imp in cycle)


@dataclass(frozen=True)
class Layer:
    name: str
    modules: tuple[str, ...]  # "pkg.mod" is that module only; "pkg.sub.*" the package and all in it


def _matches(name: str, pattern: str) -> bool:
    if pattern.endswith(".*"):
        return _within(name, pattern[:-2])
    return name == pattern


def layer_of(name: str, layers: Sequence[Layer]) -> int | None:
    """The index of the layer that holds the module, bottom first; None when none does."""
    for index, layer in enumerate(layers):
        if any(_matches(name, pattern) for pattern in layer.modules):
            return index
    return None


@dataclass(frozen=True)
class Rule:
    """Imports from `importer` to `target` that are forbidden even when they point down."""

    importer: str  # patterns as in Layer.modules
    target: str
    allow_in_functions: bool  # a function may import it (a lazy import), the module may not
    why: str


@dataclass(frozen=True)
class OnlyImports:
    """Modules matching `importer` may import, of the tree, only modules matching `allowed`."""

    importer: str
    allowed: tuple[str, ...]
    why: str


def layer_violations(
    modules: Mapping[str, Module],
    layers: Sequence[Layer],
    rules: Sequence[Rule] = (),
    only: Sequence[OnlyImports] = (),
) -> list[str]:
    """Modules in no layer, and imports up a layer or against a rule."""
    problems = [
        f"{module.path}: {name} is in no layer; place it in the layer table"
        for name, module in modules.items()
        if layer_of(name, layers) is None
    ]
    for imp in all_imports(modules):
        if imp.target not in modules:
            continue
        source, target = imp.importer.name, imp.target
        low, high = layer_of(source, layers), layer_of(target, layers)
        if low is not None and high is not None and high > low:
            problems.append(
                f"{imp.where}: {layers[low].name} may not import up into {layers[high].name}"
            )
        for rule in rules:
            if (
                _matches(source, rule.importer)
                and _matches(target, rule.target)
                and not (rule.allow_in_functions and imp.in_function)
            ):
                problems.append(f"{imp.where}: {rule.why}")
        for limit in only:
            if _matches(source, limit.importer) and not any(
                _matches(target, allowed) for allowed in limit.allowed
            ):
                problems.append(f"{imp.where}: {limit.why}")
    return problems


def oversized(
    modules: Mapping[str, Module], most_lines: int, exceptions: Mapping[str, int] | None = None
) -> list[str]:
    """Modules longer than `most_lines`, or than their own limit in `exceptions` (by path)."""
    limits = dict(exceptions or {})
    problems = []
    for module in modules.values():
        limit = limits.get(module.path, most_lines)
        if module.line_count > limit:
            problems.append(f"{module.path} has {module.line_count} lines; at most {limit}")
    return problems
