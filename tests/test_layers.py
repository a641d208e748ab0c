"""Imports only go down the layers (`../shared/style.md`, "Layout"), and no modules import each other in a circle.

Every import counts, including those inside functions: a lower app that reads a higher one "lazily"
still depends on it. What a lower layer must show from a higher one goes through an extension point
that the higher app fills in its `AppConfig.ready()`.
"""

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent

# Bottom first. A module may import its own layer and those below it.
LAYERS = [
    ("config.settings", "config.celery", "config", "common"),
    ("accounts",),
    ("records",),
    ("families",),
    ("cases",),
    ("investigations",),
    ("planning",),
    ("court",),
    ("reporting",),
    ("demo",),
    # The wiring: the URL configuration and the WSGI entry point include every app.
    ("config.urls", "config.wsgi"),
]
PACKAGES = {name.split(".")[0] for layer in LAYERS for name in layer}


def layer_of(module: str) -> int:
    """The layer of the longest name in LAYERS that the module is, or is inside of."""
    best, best_length = None, -1
    for index, layer in enumerate(LAYERS):
        for name in layer:
            if (module == name or module.startswith(name + ".")) and len(name) > best_length:
                best, best_length = index, len(name)
    assert best is not None, f"{module} belongs to no layer: add its package to LAYERS"
    return best


def project_modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            relative = path.relative_to(ROOT).with_suffix("")
            if "migrations" in relative.parts:
                continue
            parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
            found[".".join(parts)] = path
    return found


def imports_of(module: str, path: Path) -> list[tuple[str, int]]:
    """Every project module this one imports, with the line, wherever the import statement stands."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            stem = ".".join([*base, node.module] if node.module else base)
            # `from x import y` may name a module y of package x, or a name defined in x.
            names = [f"{stem}.{alias.name}" for alias in node.names] + [stem]
        else:
            continue
        found += [(name, node.lineno) for name in names if name.split(".")[0] in PACKAGES]
    return found


def resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def module_graph() -> dict[str, set[str]]:
    modules = project_modules()
    graph = {}
    for module, path in modules.items():
        targets = {resolve(name, modules) for name, _ in imports_of(module, path)}
        graph[module] = {target for target in targets if target and target != module}
    return graph


def test_it_finds_the_apps_modules():
    modules = project_modules()
    assert "accounts.access" in modules
    assert "cases.services.intake" in modules


def test_it_refuses_an_import_that_goes_up_a_layer():
    modules = project_modules()
    upward = []
    for module, path in sorted(modules.items()):
        for name, line in imports_of(module, path):
            target = resolve(name, modules)
            if target and layer_of(target) > layer_of(module):
                upward.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert not upward, "Imports that go up a layer:\n" + "\n".join(sorted(set(upward)))


def test_it_refuses_a_model_link_that_goes_up_a_layer():
    """A foreign key or many-to-many names its model as a string ("investigations.Investigation"), which no
    import shows: a lower app's table pointing at a higher app's is the same dependency."""
    upward = []
    for model in apps.get_models():
        app = model._meta.app_label
        if app not in PACKAGES:
            continue
        for field in model._meta.get_fields():
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            target = field.related_model._meta.app_label
            if target in PACKAGES and layer_of(target) > layer_of(app):
                upward.append(f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}")
    assert not upward, "Model links that go up a layer:\n" + "\n".join(sorted(upward))


def test_it_refuses_modules_that_import_each_other_in_a_circle():
    graph = module_graph()
    cycles, state = [], {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                cycles.append(" -> ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "Modules importing each other in a circle:\n" + "\n".join(cycles)
