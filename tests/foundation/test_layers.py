"""Keep the layers honest: domain modules never import the CLI or web layers; one place commits."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "accord"
FORBIDDEN = ("fastapi", "typer", "click", "accord.web", "accord.cli")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_modules_do_not_import_presentation_layers() -> None:
    checked = 0
    for path in SRC.rglob("*.py"):
        if path.stem in {"models", "schemas", "service"} or (
            path.parent.name == "extract" and not path.stem.endswith("cli")
        ):
            checked += 1
            bad = [n for n in _imports(path) if n.startswith(FORBIDDEN)]
            assert not bad, f"{path} imports {bad}"
    assert checked >= 10


def test_only_the_session_module_commits() -> None:
    offenders = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if ".commit(" in p.read_text() and p.relative_to(SRC).as_posix() != "db/session.py"
    ]
    assert offenders == []


def test_every_module_has_a_docstring() -> None:
    missing = [
        str(p)
        for p in SRC.rglob("*.py")
        if "versions" not in p.parts and ast.get_docstring(ast.parse(p.read_text())) is None
    ]
    assert missing == []
