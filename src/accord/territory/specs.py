"""Pydantic shapes of ``territory.yaml``: proposals as geometry expressions over zones.

An expression is one of: ``{zone: ID or pattern}``, ``{occupied: true}`` (the occupied-area
snapshot in force on the as-of date), ``{line: true}`` (the line of contact derived from it),
``{country: true}`` (the union of admin areas), ``{union: [...]}``, ``{intersection: [...]}``,
``{difference: [a, b, ...]}`` (a minus the rest) and ``{buffer: {of: expr, km: N or "{param}"}}``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MEANINGS = ("changes_hands", "demilitarised", "frozen")
_OPERATORS = {
    "zone",
    "occupied",
    "line",
    "country",
    "union",
    "intersection",
    "difference",
    "buffer",
}


def check_expression(expr: Any, where: str = "area") -> None:
    """Validate an expression tree's shape, raising ValueError naming the path."""
    if not isinstance(expr, dict) or len(expr) != 1:
        raise ValueError(
            f"{where}: an expression is a mapping with one operator ({', '.join(sorted(_OPERATORS))})"
        )
    ((op, arg),) = expr.items()
    if op not in _OPERATORS:
        raise ValueError(f"{where}: unknown operator {op!r}")
    if op == "zone" and not isinstance(arg, str):
        raise ValueError(f"{where}.zone: give a zone id or pattern")
    if op in ("occupied", "line", "country") and arg is not True:
        raise ValueError(f"{where}.{op}: use `{op}: true`")
    if op in ("union", "intersection", "difference"):
        if not isinstance(arg, list) or len(arg) < (2 if op == "difference" else 1):
            raise ValueError(f"{where}.{op}: give a list of expressions")
        for n, item in enumerate(arg):
            check_expression(item, f"{where}.{op}[{n}]")
    if op == "buffer":
        if not isinstance(arg, dict) or set(arg) != {"of", "km"}:
            raise ValueError(f"{where}.buffer: give `of` and `km`")
        check_expression(arg["of"], f"{where}.buffer.of")


class ProposalSpec(BaseModel):
    """A territorial proposal."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    description: str | None = None
    holder: str | None = None
    meaning: Literal["changes_hands", "demilitarised", "frozen"]
    area: dict[str, Any] | None = None
    line: dict[str, Any] | None = None
    params: dict[str, float] = Field(default_factory=dict)

    @field_validator("area", "line")
    @classmethod
    def _expression(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is not None:
            check_expression(value)
        return value


class TerritoryFile(BaseModel):
    """``territory.yaml``."""

    model_config = ConfigDict(extra="forbid")

    proposals: list[ProposalSpec] = Field(default_factory=list)
