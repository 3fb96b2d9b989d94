import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy.orm import Session

from accord.actors import service as actors
from accord.errors import PackError
from accord.issues import service as issues
from accord.packs import service
from accord.packs.loader import bundled_packs, load_pack

DESIGN_ACTORS = {
    "us",
    "ua",
    "ru",
    "fr",
    "gb",
    "de",
    "eu",
    "nato",
    "iaea",
    "un",
    "coalition-of-the-willing",
    "trump",
    "zelenskiy",
    "putin",
    "macron",
}
DESIGN_ISSUES = {
    "peace-deal",
    "security-guarantees",
    "territory",
    "znpp",
    "ceasefire",
    "eu-membership",
    "nato-membership",
    "reconstruction",
    "prisoner-exchange",
    "elections",
    "sovereignty",
    "sanctions",
    "armed-forces",
    "peace-council",
}


def test_bundled_pack_is_rich_and_valid() -> None:
    pack = load_pack("ukraine-2025")
    assert len(pack.actors) >= 40
    assert len(pack.issues) >= 13
    assert pack.actor_ids() >= DESIGN_ACTORS
    assert pack.issue_ids() >= DESIGN_ISSUES
    zel = next(a for a in pack.actors if a.id == "zelenskiy")
    assert {"Zelensky", "Zelenskyy"} <= set(zel.aliases) | {zel.name}
    assert all(len(i.keywords) >= 5 for i in pack.issues if i.id in DESIGN_ISSUES)
    assert "ukraine-2025" in bundled_packs()


def test_load_is_idempotent(session: Session) -> None:
    first = service.load_by_name(session, "ukraine-2025", by="t")
    second = service.load_by_name(session, "ukraine-2025", by="t")
    assert first.changed and not second.changed
    assert actors.count(session) == first.actors
    assert issues.count(session) == first.issues
    assert actors.holder_of(session, "zelenskiy", None) == "ua"


def _copy_pack(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    root = Path(load_pack("ukraine-2025").root)
    target.mkdir()
    for name in ("pack.yaml", "actors.yaml", "issues.yaml"):
        shutil.copy(root / name, target / name)
    return target


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        (
            "actors.yaml",
            lambda d: d["actors"][0].pop("id"),
            r"actors\.yaml: field actors\[0\]\.id: Field required",
        ),
        (
            "actors.yaml",
            lambda d: d["actors"].append(dict(d["actors"][0], aliases=[], demonyms=[])),
            r"actors\.yaml: duplicate actor id",
        ),
        (
            "issues.yaml",
            lambda d: d["issues"][1].update(parent="no-such-issue"),
            r"issues\.yaml: field \[.+\]\.parent: unknown issue 'no-such-issue'",
        ),
        (
            "actors.yaml",
            lambda d: next(a for a in d["actors"] if a.get("affiliations"))["affiliations"][
                0
            ].update({"from": "2025-13-45"}),
            r"actors\.yaml: field actors\[[a-z-]+\]\.affiliations\[0\]\.from",
        ),
        (
            "issues.yaml",
            lambda d: d["issues"][0].update(id="Bad Id"),
            r"issues\.yaml: field issues\[Bad Id\]\.id",
        ),
        (
            "pack.yaml",
            lambda d: d.update(main_parties=["xx"]),
            r"pack\.yaml: field main_parties: unknown actor 'xx'",
        ),
        (
            "actors.yaml",
            lambda d: d["actors"][1]["aliases"].append(d["actors"][0]["name"]),
            r"is already used by",
        ),
    ],
)
def test_malformed_pack_names_file_and_field(
    tmp_path: Path, file: str, change, message: str
) -> None:  # type: ignore[no-untyped-def]
    folder = _copy_pack(tmp_path)
    _edit(folder / file, change)
    with pytest.raises(PackError, match=message):
        load_pack(str(folder))


def test_invalid_yaml_and_missing_file(tmp_path: Path) -> None:
    folder = _copy_pack(tmp_path)
    (folder / "issues.yaml").write_text("issues: [unclosed\n")
    with pytest.raises(PackError, match=r"issues\.yaml: line \d+ invalid YAML"):
        load_pack(str(folder))
    (folder / "issues.yaml").unlink()
    with pytest.raises(PackError, match=r"issues\.yaml: missing pack file"):
        load_pack(str(folder))


def test_unknown_pack_name() -> None:
    with pytest.raises(PackError, match="no such pack folder or bundled pack"):
        load_pack("atlantis-2030")


def test_failed_reload_keeps_what_is_stored(session: Session, tmp_path: Path) -> None:
    service.load_by_name(session, "ukraine-2025", by="t")
    before = actors.count(session)
    folder = _copy_pack(tmp_path)
    _edit(folder / "issues.yaml", lambda d: d["issues"][0].update(parent="nope"))
    with pytest.raises(PackError):
        service.load_by_name(session, str(folder), by="t")
    assert actors.count(session) == before
