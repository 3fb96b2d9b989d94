"""Find, in the source, the functions that change stored state and whether they write an event.

A function *writes* when it calls ``session.add/add_all/delete/merge``, builds an ``insert()``,
``update()`` or ``delete()`` statement, holds SQL text that starts with ``INSERT INTO``,
``UPDATE ... SET`` or ``DELETE FROM``, or (in a module that imports models) assigns to an
attribute named like a mapped column. It *audits* when it calls ``audit.record``, or a function of
its own module that audits.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

_SESSION_WRITES = {"add", "add_all", "delete", "merge"}
_STATEMENTS = {"insert", "update", "delete"}
_SQL_WRITE = re.compile(r"\s*(INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM)\b")


@dataclass
class Function:
    """What one module-level function of a module writes and calls."""

    qualname: str
    module: str
    writes: list[str] = field(default_factory=list)
    records: bool = False
    calls: set[str] = field(default_factory=set)  # plain names and attribute names called

    @property
    def public(self) -> bool:
        """Tell whether the function's name has no leading underscore."""
        return not self.qualname.rsplit(".", 1)[1].startswith("_")


def _text(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    return ""


def scan_module(source: str, module: str, columns: set[str]) -> dict[str, Function]:
    """Return the module's functions and methods by qualified name (``module[.Class].name``)."""
    tree = ast.parse(source)
    has_models = any(
        isinstance(n, ast.ImportFrom) and (n.module or "").endswith("models")
        for n in ast.walk(tree)
    )
    found: dict[str, Function] = {}
    defs = [(node.name, node) for node in tree.body if isinstance(node, ast.FunctionDef)]
    for cls in (node for node in tree.body if isinstance(node, ast.ClassDef)):
        defs += [(f"{cls.name}.{m.name}", m) for m in cls.body if isinstance(m, ast.FunctionDef)]
    for name, node in defs:
        fn = Function(f"{module}.{name}", module)
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call):
                _call(sub, fn, has_models)
            elif isinstance(sub, ast.Constant | ast.JoinedStr) and _SQL_WRITE.match(_text(sub)):
                fn.writes.append(f"SQL {_text(sub).split()[0]}")
            elif isinstance(sub, ast.Assign | ast.AugAssign | ast.AnnAssign) and has_models:
                targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
                for target in targets:
                    for part in ast.walk(target):
                        if (
                            isinstance(part, ast.Attribute)
                            and isinstance(part.ctx, ast.Store)
                            and part.attr in columns
                            and not (isinstance(part.value, ast.Name) and part.value.id == "self")
                        ):
                            fn.writes.append(f"{ast.unparse(part)} =")
        found[fn.qualname] = fn
    return found


def _call(call: ast.Call, fn: Function, has_models: bool) -> None:
    func = call.func
    if isinstance(func, ast.Attribute):
        fn.calls.add(func.attr)
        owner = func.value.id if isinstance(func.value, ast.Name) else None
        if owner == "session" and func.attr in _SESSION_WRITES:
            fn.writes.append(f"session.{func.attr}")
        if owner == "audit" and func.attr == "record":
            fn.records = True
    elif isinstance(func, ast.Name):
        fn.calls.add(func.id)
        if func.id in _STATEMENTS:
            fn.writes.append(f"{func.id}()")
        if func.id == "setattr" and has_models:
            fn.writes.append("setattr()")


def audits(functions: dict[str, Function], qualname: str) -> bool:
    """Tell whether a function records an event itself or through a function of its module."""
    module = functions[qualname].module if qualname in functions else ""
    seen: set[str] = set()
    todo = [qualname]
    while todo:
        name = todo.pop()
        if name in seen or name not in functions:
            continue
        seen.add(name)
        if functions[name].records:
            return True
        todo.extend(f"{module}.{called}" for called in functions[name].calls)
    return False


def scan_tree(root: Path, package: str, columns: set[str], skip: set[str]) -> dict[str, Function]:
    """Scan every module of every domain folder under root (``root/<domain>/<module>.py``)."""
    found: dict[str, Function] = {}
    for path in sorted(root.glob("*/*.py")):
        if path.parent.name in skip:
            continue
        module = f"{package}.{path.parent.name}.{path.stem}"
        found.update(scan_module(path.read_text(encoding="utf-8"), module, columns))
    return found
