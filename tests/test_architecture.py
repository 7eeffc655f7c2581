"""The module table of ``docs/architecture.md`` is checked, not just described.

Every import of ``observatory.Y`` in a module of package X (``observatory.X…``) must be allowed by X's row of the
table: at module level, inside a function, or under ``if TYPE_CHECKING:`` alike (a type is a dependency too).
A package may always import itself; the foundation modules (``settings``, ``errors``, ``datasets``) may be imported
by every package but themselves import nothing of ours, and so may ``observatory.__version__``. Text in parentheses
in the table is commentary.
"""

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "observatory"
DOC = ROOT / "docs" / "architecture.md"
NAME = re.compile(r"`([^`]+)`")


@dataclass(frozen=True, slots=True)
class Rules:
    allowed: dict[str, frozenset[str]]
    foundation: frozenset[str]

    def permits(self, package: str, target: str) -> bool:
        if target == package or target in self.allowed[package]:
            return True
        return package not in self.foundation and target in self.foundation


@dataclass(frozen=True, slots=True)
class Import:
    line: int
    module: str


def _sentence_names(text: str, pattern: str) -> frozenset[str]:
    found = re.search(pattern, " ".join(text.split()))
    assert found, f"{DOC.name}: no sentence matching {pattern!r} under the module table"
    return frozenset(NAME.findall(found.group(1)))


def rules(text: str) -> Rules:
    """The table's rows and the two definitions of the paragraph under it."""
    services = _sentence_names(text, r"The \*\*services\*\* are ([^.]*)\.")
    foundation = _sentence_names(text, r"the \*\*foundation\*\* modules ([^.]*?) may be imported")
    section = text.split("## Modules", 1)[1].split("\n## ", 1)[0]
    allowed: dict[str, frozenset[str]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        may_import = re.sub(r"\([^)]*\)", "", cells[2])
        names = set(NAME.findall(may_import))
        if re.search(r"\bservices\b", may_import):
            names |= services
        for package in NAME.findall(cells[0]):
            allowed[package] = frozenset(names)
    return Rules(allowed, foundation)


def package_of(path: Path) -> str:
    """``analytics`` for ``src/observatory/analytics/…``, ``demo`` for ``src/observatory/demo.py``; ``""`` for the
    root ``__init__.py`` (the version string), which imports nothing of ours."""
    if path == PACKAGE / "__init__.py":
        return ""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _absolute(node: ast.ImportFrom, module_name: str, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    parts = module_name.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(source: str, module_name: str, is_package: bool = False) -> Iterator[Import]:
    """Every ``observatory.…`` module named by an import statement anywhere in ``source``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module_name, is_package)
            # ``from observatory import demo`` names the package in the alias.
            names = [f"{base}.{alias.name}" for alias in node.names] if base == "observatory" else [base]
        else:
            continue
        for name in names:
            if name.startswith("observatory."):
                yield Import(node.lineno, name)


def _module_name(path: Path) -> tuple[str, bool]:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _is_module(name: str) -> bool:
    return (PACKAGE / name / "__init__.py").exists() or (PACKAGE / f"{name}.py").exists()


def violations(table: Rules) -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        package = package_of(path)
        module_name, is_package = _module_name(path)
        for item in imports_of(path.read_text(encoding="utf-8"), module_name, is_package):
            target = item.module.split(".")[1]
            if not _is_module(target):
                continue  # ``from observatory import __version__``: the root package, the version string alone
            if not package or not table.permits(package, target):
                where = path.relative_to(ROOT)
                allowed = ", ".join(sorted(table.allowed.get(package, ()))) or "nothing of ours"
                found.append(f"{where}:{item.line}: {package} imports {item.module} (its row allows: {allowed})")
    return found


def test_the_table_names_every_package_and_only_those() -> None:
    table = rules(DOC.read_text(encoding="utf-8"))
    packages = {
        path.name.removesuffix(".py")
        for path in PACKAGE.iterdir()
        if (path.is_dir() and (path / "__init__.py").exists()) or (path.suffix == ".py" and path.name != "__init__.py")
    }
    assert set(table.allowed) == packages
    assert table.foundation <= packages
    for package, names in table.allowed.items():
        assert names <= packages, f"{package}'s row names no package: {sorted(names - packages)}"


def test_every_import_is_one_the_table_allows() -> None:
    problems = violations(rules(DOC.read_text(encoding="utf-8")))
    assert not problems, f"{len(problems)} imports the module table of {DOC.name} does not allow:\n" + "\n".join(
        problems
    )


def test_imports_in_functions_under_type_checking_and_relative_ones_count() -> None:
    source = """
from typing import TYPE_CHECKING
import observatory.store.engine
from observatory import demo, errors
from ..reporting import workflow
from . import sibling
if TYPE_CHECKING:
    from observatory.web.app import App
def run() -> None:
    from observatory.cli.main import run
"""
    found = sorted((item.line, item.module) for item in imports_of(source, "observatory.analytics.refresh"))
    assert found == [
        (3, "observatory.store.engine"),
        (4, "observatory.demo"),
        (4, "observatory.errors"),
        (5, "observatory.reporting"),
        (6, "observatory.analytics"),
        (8, "observatory.web.app"),
        (10, "observatory.cli.main"),
    ]


def test_the_rules_read_from_the_table() -> None:
    table = rules(DOC.read_text(encoding="utf-8"))
    assert table.foundation == {"settings", "errors", "datasets", "i18n"}
    assert table.permits("analytics", "stats") and not table.permits("analytics", "reporting")
    assert table.permits("reporting", "analytics")
    assert table.permits("web", "errors") and not table.permits("web", "cli") and not table.permits("web", "bench")
    assert table.permits("cli", "web") and table.permits("cli", "bench") and table.permits("bench", "web")
    assert not table.permits("settings", "errors") and not table.permits("datasets", "settings")
