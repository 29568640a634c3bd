"""The dependency arrows of the code, read from the source (no database, no import of the modules):

* the project package ``jeonju_center/`` is the base below the programs: it never imports a domain app nor names
  one of its modules or models; it reaches them only through what each app declares in modules of a known name
  (``jeonju_center.common.app_modules``), and the root URL conf through ``include("<app>.urls")``;
* the domain apps may use ``jeonju_center`` freely, and one another only along the arrows listed here, which
  form no cycle;
* selectors (reads) never import services (writes).

A reference is an ``import``, a literal ``import_module("…")``, or a string naming a module or a model of an app
(``"courses.demo"``, ``"courses.Course"`` in a relation or a look-up): a lazy reference is a dependency too.
Migrations are left out: they record the history of the schema, relations that no longer exist included.
"""

import ast
import graphlib
import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BASE_PACKAGE = "jeonju_center"
DOMAIN_APPS = ("calls", "courses", "ondure", "regeneration", "social_economy", "spaces")
NAMED_IN_A_STRING = re.compile(rf"^({'|'.join(DOMAIN_APPS)})\.[A-Za-z_][\w.]*$")

# Between domain apps, the arrows that exist today (``from`` app → ``to`` apps it references). A new arrow fails
# here on purpose: add it only after deciding that the dependency is right (and that it makes no cycle).
ALLOWED_DOMAIN_ARROWS = {
    "calls": {"ondure", "regeneration"},  # calls for share-house rooms (tenancies) and for Ondure communities
    "ondure": {"courses", "social_economy"},  # education courses; graduation into an organization
    "spaces": {"regeneration"},  # community spaces in renovated vacant houses
}

# Files of the base package allowed to reference domain apps: none (the demo finds the apps' registered steps).
BASE_EXCEPTIONS = set()


def _python_files(top):
    for path in sorted((REPO_ROOT / top).rglob("*.py")):
        if "migrations" not in path.relative_to(REPO_ROOT).parts:
            yield path


def _module_name(path):
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts), parts[-1] == "__init__"


def _absolute(node, path):
    """The modules an ``import``/``from … import`` node imports, made absolute."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        return [node.module]
    module, is_package = _module_name(path)
    package = module.split(".")
    package = package if is_package else package[:-1]
    base = ".".join(package[: len(package) - (node.level - 1)])
    if node.module:
        return [f"{base}.{node.module}"]
    return [f"{base}.{alias.name}" for alias in node.names]


def references(path):
    """``(referenced name, line, node)`` of every import and every string naming an app's module or model."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            found += [(name, node.lineno, node) for name in _absolute(node, path)]
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and NAMED_IN_A_STRING.match(node.value)
        ):
            found.append((node.value, node.lineno, node))
    return found


def _app_of(name):
    top = name.split(".")[0]
    return top if top in DOMAIN_APPS else None


def _include_arguments(tree):
    """The string nodes passed as the first argument of ``include(…)`` (alone or in a tuple)."""
    allowed = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "include" and node.args:
            first = node.args[0]
            candidates = first.elts if isinstance(first, ast.Tuple) else [first]
            allowed |= {
                _position(candidate) for candidate in candidates if isinstance(candidate, ast.Constant)
            }
    return allowed


def _position(node):
    return node.lineno, node.col_offset, node.value


def _is_include_argument(node, routed):
    return isinstance(node, ast.Constant) and _position(node) in routed


def test_the_base_package_references_no_domain_app():
    root_url_conf = REPO_ROOT / BASE_PACKAGE / "urls.py"
    routed = _include_arguments(ast.parse(root_url_conf.read_text(encoding="utf-8")))
    offending = []
    for path in _python_files(BASE_PACKAGE):
        relative = path.relative_to(REPO_ROOT).as_posix()
        if relative in BASE_EXCEPTIONS:
            continue
        for name, line, node in references(path):
            if _app_of(name) and not (path == root_url_conf and _is_include_argument(node, routed)):
                offending.append(f"{relative}:{line} {name}")
    assert offending == [], "the base package must not use a domain app:\n" + "\n".join(offending)


def test_the_root_url_conf_reaches_domain_apps_only_through_include():
    path = REPO_ROOT / BASE_PACKAGE / "urls.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed = _include_arguments(tree)
    included = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _app_of(node.value):
            assert _is_include_argument(node, allowed), (
                f"urls.py:{node.lineno} {node.value!r} outside include()"
            )
            assert NAMED_IN_A_STRING.match(node.value), node.value
            included.append(_app_of(node.value))
    assert set(included) == set(DOMAIN_APPS)  # every app's pages are routed (and this test looks at them)


def _domain_arrows():
    arrows = {}
    for app in DOMAIN_APPS:
        for path in _python_files(app):
            for name, line, _node in references(path):
                target = _app_of(name)
                if target and target != app:
                    arrows.setdefault((app, target), []).append(f"{path.relative_to(REPO_ROOT)}:{line}")
    return arrows


def test_domain_apps_depend_on_one_another_only_along_the_listed_arrows_without_cycles():
    arrows = _domain_arrows()
    found = {}
    for source, target in arrows:
        found.setdefault(source, set()).add(target)
    unexpected = {
        f"{source} → {target}": arrows[(source, target)][:3]
        for source, target in sorted(arrows)
        if target not in ALLOWED_DOMAIN_ARROWS.get(source, set())
    }
    assert unexpected == {}, f"new dependencies between domain apps: {unexpected}"
    # The list stays the truth: an arrow that no longer exists is taken out of it.
    assert found == ALLOWED_DOMAIN_ARROWS
    graphlib.TopologicalSorter(ALLOWED_DOMAIN_ARROWS).prepare()  # raises CycleError on a cycle


def test_a_cycle_between_domain_apps_would_be_caught():
    with pytest.raises(graphlib.CycleError):
        graphlib.TopologicalSorter({**ALLOWED_DOMAIN_ARROWS, "courses": {"calls"}}).prepare()


def test_selectors_never_import_services():
    offending = []
    for top in (BASE_PACKAGE, *DOMAIN_APPS):
        for path in _python_files(top):
            module, _is_package = _module_name(path)
            if module.split(".")[-1] != "selectors" and ".selectors." not in f"{module}.":
                continue
            for name, line, _node in references(path):
                if name.split(".")[-1] == "services" or ".services." in f"{name}.":
                    offending.append(f"{path.relative_to(REPO_ROOT)}:{line} {name}")
    assert offending == [], "selectors (reads) must not depend on services (writes):\n" + "\n".join(offending)


def test_the_reader_sees_imports_and_lazy_references(tmp_path):
    """The checks above would pass on code they cannot read: this one makes sure they read it."""
    module = REPO_ROOT / BASE_PACKAGE / "news" / "selectors.py"
    names = {name for name, _line, _node in references(module)}
    assert "jeonju_center.news.models" in names  # a relative import, made absolute
    calls_models = {name for name, _line, _node in references(REPO_ROOT / "calls" / "models.py")}
    assert "regeneration.Room" in calls_models  # a relation by label
    seed_step = {name for name, _l, _n in references(REPO_ROOT / "ondure" / "demo" / "courses.py")}
    assert {"courses.models", "jeonju_center.demo.steps"} <= seed_step  # absolute imports are read too
