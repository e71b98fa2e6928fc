"""The code's layout, as DESIGN.md §2 draws it: no import cycle between the project's
modules, no import hidden inside a function, each layer importing only those below it,
and modules and functions small enough to read."""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "selector", "survey")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Django needs these imports inside a function: an app's ready() registers what the
# process needs once the apps are loaded, and migrations must not import app code at
# module level.
LOCAL_IMPORTS_ALLOWED = {("selector.apps", "SelectorConfig.ready")}

# Who may import whom (DESIGN.md §2): a module of a layer imports only its own layer
# and the layers listed for it.
LAYERS = {
    "engine": set(),
    "survey": {"engine"},
    "models": {"survey"},
    "selectors": {"models", "survey"},
    "queue": set(),
    "services": {"engine", "models", "selectors", "queue", "survey"},
    "tasks": {"services", "queue"},
    # survey: survey.localized, the French twins of shipped texts (issue 14)
    "presenters": {"engine", "models", "selectors", "services", "survey"},
    "views": {"engine", "models", "selectors", "queue", "services", "presenters"},
    "api": {
        "engine",
        "models",
        "selectors",
        "queue",
        "services",
        "presenters",
        "survey",
    },
    "admin": {"models", "selectors", "services", "presenters", "survey"},
}


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


MODULES = project_modules()


def imported_modules(name: str, tree: ast.Module) -> list[tuple[str, ast.AST]]:
    """The project modules ``name`` imports, with the import node."""
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + [base]).strip(
                    "."
                )
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.append((target, node))
    return found


TREES = {name: ast.parse(path.read_text()) for name, path in MODULES.items()}
GRAPH = {
    name: {target for target, _ in imported_modules(name, tree)}
    for name, tree in TREES.items()
}


def layer_of(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] == "survey":
        return "survey"
    if parts[0] != "selector" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in LAYERS else None


def functions(tree: ast.Module):
    """(qualified name, node) of every function and method, outermost first."""

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                yield f"{prefix}{child.name}", child
                yield from visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                yield from visit(child, f"{prefix}{child.name}.")

    yield from visit(tree, "")


def test_the_layout_check_sees_the_project():
    assert {"selector.services.runs", "selector.engine", "selector.tasks"} <= set(
        MODULES
    )
    assert "selector.services.runs" in GRAPH["selector.tasks"]


def test_no_project_module_imports_inside_a_function():
    hidden = []
    for name, tree in TREES.items():
        for qualname, function in functions(tree):
            if (name, qualname) in LOCAL_IMPORTS_ALLOWED:
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    hidden.append(f"{name}.{qualname} (line {node.lineno})")
    assert hidden == []


def test_there_is_no_import_cycle():
    cycles = []
    state = defaultdict(int)  # 0 new, 1 on the path, 2 done
    path = []

    def visit(name):
        state[name] = 1
        path.append(name)
        for target in sorted(GRAPH[name]):
            if state[target] == 1:
                cycles.append(path[path.index(target) :] + [target])
            elif state[target] == 0:
                visit(target)
        path.pop()
        state[name] = 2

    for name in sorted(GRAPH):
        if state[name] == 0:
            visit(name)
    assert cycles == []


def test_each_layer_imports_only_the_layers_below_it():
    breaks = []
    for name, targets in GRAPH.items():
        layer = layer_of(name)
        if layer is None:
            continue
        for target in targets:
            other = layer_of(target)
            if other is not None and other != layer and other not in LAYERS[layer]:
                breaks.append(f"{name} ({layer}) imports {target} ({other})")
    assert breaks == []


def test_the_engine_imports_no_django_and_is_imported_only_by_its_public_names():
    offenders = []
    for name, tree in TREES.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            modules = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            for module in modules:
                inside = name.startswith("selector.engine")
                if inside and module.split(".")[0] == "django":
                    offenders.append(f"{name} imports {module}")
                if not inside and module.startswith("selector.engine."):
                    offenders.append(f"{name} imports the engine's internal {module}")
    assert offenders == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_400_lines(name):
    lines = MODULES[name].read_text().count("\n")
    assert lines <= MAX_MODULE_LINES, f"{name} has {lines} lines"


def test_no_function_is_over_60_lines():
    long = []
    for name, tree in TREES.items():
        for qualname, node in functions(tree):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                long.append(f"{name}.{qualname}: {length} lines")
    assert long == []
