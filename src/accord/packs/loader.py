"""Find, read and validate case packs (a folder of YAML files) without touching the database."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from accord.agreements.specs import AgreementsFile
from accord.council.specs import CouncilFile
from accord.errors import PackError
from accord.packs.schemas import ActorsFile, IssuesFile, PackData, PackMeta
from accord.territory.specs import TerritoryFile
from accord.zones.terms import CeasefireFile

BUNDLED_DIR = Path(__file__).parent
PACK_FILES = ("pack.yaml", "actors.yaml", "issues.yaml")
OPTIONAL_FILES = ("agreements.yaml", "ceasefire.yaml", "council.yaml", "territory.yaml")

M = TypeVar("M", bound=BaseModel)


def bundled_packs() -> dict[str, Path]:
    """Return the bundled packs by id (folder ``some_pack_2025`` is pack ``some-pack-2025``)."""
    return {
        child.name.replace("_", "-"): child
        for child in sorted(BUNDLED_DIR.iterdir())
        if child.is_dir() and (child / "pack.yaml").exists()
    }


def resolve(path_or_name: str) -> Path:
    """Return the folder of a pack given as a path or as a bundled pack's id."""
    candidate = Path(path_or_name).expanduser()
    if candidate.is_dir():
        return candidate
    bundled = bundled_packs()
    if path_or_name in bundled:
        return bundled[path_or_name]
    known = ", ".join(sorted(bundled)) or "none"
    raise PackError(f"{path_or_name}: no such pack folder or bundled pack (bundled: {known})")


def _read_yaml(path: Path) -> Any:
    if not path.exists():
        raise PackError(f"{path}: missing pack file")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise PackError(f"{path}: not UTF-8 text") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PackError(f"{path}:{where} invalid YAML: {problem}") from exc


def _field_path(loc: tuple[Any, ...], data: Any) -> str:
    """Render a validation location, naming list items by their id when they have one."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and key < len(node):
            item = node[key]
            ident = item.get("id") if isinstance(item, dict) else None
            parts.append(f"[{ident}]" if ident else f"[{key}]")
            node = item
        else:
            parts.append(f".{key}" if parts else str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts)


def _validate(model: type[M], data: Any, path: Path) -> M:
    if data is None:
        raise PackError(f"{path}: file is empty")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = _field_path(tuple(first["loc"]), data) or "(top level)"
        raise PackError(f"{path}: field {field}: {first['msg']}") from exc


def _check_references(pack: PackData, root: Path) -> None:
    actors_file, issues_file = root / "actors.yaml", root / "issues.yaml"
    seen: set[str] = set()
    for actor in pack.actors:
        if actor.id in seen:
            raise PackError(f"{actors_file}: duplicate actor id {actor.id!r}")
        seen.add(actor.id)
    aliases: dict[str, str] = {}
    for actor in pack.actors:
        for alias in [actor.name, *actor.aliases, *actor.demonyms]:
            owner = aliases.setdefault(alias.casefold(), actor.id)
            if owner != actor.id:
                raise PackError(
                    f"{actors_file}: alias {alias!r} of actor {actor.id!r} "
                    f"is already used by {owner!r}"
                )
        for aff in actor.affiliations:
            if aff.actor not in seen and aff.actor not in pack.actor_ids():
                raise PackError(
                    f"{actors_file}: field [{actor.id}].affiliations: unknown actor {aff.actor!r}"
                )
    issue_ids: set[str] = set()
    for issue in pack.issues:
        if issue.id in issue_ids:
            raise PackError(f"{issues_file}: duplicate issue id {issue.id!r}")
        issue_ids.add(issue.id)
    for issue in pack.issues:
        if issue.parent is not None and issue.parent not in issue_ids:
            raise PackError(
                f"{issues_file}: field [{issue.id}].parent: unknown issue {issue.parent!r}"
            )
        if issue.parent == issue.id:
            raise PackError(
                f"{issues_file}: field [{issue.id}].parent: an issue cannot be its own parent"
            )
    umbrella = pack.meta.umbrella_issue
    if umbrella is not None and umbrella not in issue_ids:
        raise PackError(f"{root / 'pack.yaml'}: field umbrella_issue: unknown issue {umbrella!r}")
    _check_agreements(pack, root / "agreements.yaml", seen, issue_ids)
    for member in pack.council:
        if member.actor is not None and member.actor not in seen:
            raise PackError(
                f"{root / 'council.yaml'}: field [{member.id}].actor: unknown actor {member.actor!r}"
            )
    for proposal in pack.proposals:
        if proposal.holder is not None and proposal.holder not in seen:
            raise PackError(
                f"{root / 'territory.yaml'}: field [{proposal.id}].holder: "
                f"unknown actor {proposal.holder!r}"
            )
    for party in pack.meta.main_parties:
        if party not in seen:
            raise PackError(f"{root / 'pack.yaml'}: field main_parties: unknown actor {party!r}")
    demo = pack.meta.demo
    if demo is not None:
        for party in demo.parties:
            if party not in seen:
                raise PackError(
                    f"{root / 'pack.yaml'}: field demo.parties: unknown actor {party!r}"
                )
        members = {m.id for m in pack.council}
        if demo.dissenting_member is not None and demo.dissenting_member not in members:
            raise PackError(
                f"{root / 'pack.yaml'}: field demo.dissenting_member: "
                f"unknown council member {demo.dissenting_member!r}"
            )


def _check_agreements(pack: PackData, path: Path, actors: set[str], issues: set[str]) -> None:
    agreement_ids: set[str] = set()
    draft_ids: set[str] = set()
    for agreement in pack.agreements:
        if agreement.id in agreement_ids:
            raise PackError(f"{path}: duplicate agreement id {agreement.id!r}")
        agreement_ids.add(agreement.id)
        for draft in agreement.drafts:
            if draft.id in draft_ids:
                raise PackError(f"{path}: duplicate draft id {draft.id!r}")
            draft_ids.add(draft.id)
            if draft.origin is not None and draft.origin not in actors:
                raise PackError(
                    f"{path}: field [{draft.id}].origin: unknown actor {draft.origin!r}"
                )
            numbers: set[str] = set()
            for provision in draft.provisions:
                where = f"{path}: field [{draft.id}].provisions[{provision.number}]"
                if provision.number in numbers:
                    raise PackError(f"{where}: duplicate provision number")
                numbers.add(provision.number)
                for issue in provision.issues:
                    if issue not in issues:
                        raise PackError(f"{where}.issues: unknown issue {issue!r}")
                for actor in provision.obligated:
                    if actor not in actors:
                        raise PackError(f"{where}.obligated: unknown actor {actor!r}")


def load_pack(path_or_name: str) -> PackData:
    """Read and validate a pack folder or bundled pack; raise PackError naming file and field."""
    root = resolve(path_or_name)
    digest = hashlib.sha256()
    raw: dict[str, Any] = {}
    for name in PACK_FILES:
        file = root / name
        raw[name] = _read_yaml(file)
        digest.update(name.encode() + b"\0" + file.read_bytes() + b"\0")
    for name in OPTIONAL_FILES:
        file = root / name
        if file.exists():
            raw[name] = _read_yaml(file)
            digest.update(name.encode() + b"\0" + file.read_bytes() + b"\0")
    meta = _validate(PackMeta, raw["pack.yaml"], root / "pack.yaml")
    actors = _validate(ActorsFile, raw["actors.yaml"], root / "actors.yaml")
    issues = _validate(IssuesFile, raw["issues.yaml"], root / "issues.yaml")
    agreements = (
        _validate(AgreementsFile, raw["agreements.yaml"], root / "agreements.yaml").agreements
        if "agreements.yaml" in raw
        else []
    )
    ceasefires = (
        _validate(CeasefireFile, raw["ceasefire.yaml"], root / "ceasefire.yaml").ceasefires
        if "ceasefire.yaml" in raw
        else []
    )
    council = (
        _validate(CouncilFile, raw["council.yaml"], root / "council.yaml").members
        if "council.yaml" in raw
        else []
    )
    proposals = (
        _validate(TerritoryFile, raw["territory.yaml"], root / "territory.yaml").proposals
        if "territory.yaml" in raw
        else []
    )
    pack = PackData(
        meta=meta,
        proposals=proposals,
        ceasefires=ceasefires,
        council=council,
        actors=actors.actors,
        issues=issues.issues,
        agreements=agreements,
        content_sha256=digest.hexdigest(),
        root=str(root),
    )
    _check_references(pack, root)
    return pack
