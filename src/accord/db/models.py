"""Import every domain's models so that ``Base.metadata`` knows all tables (for Alembic)."""

from accord.actors.models import Actor, ActorAlias, Affiliation
from accord.agreements.models import Agreement, Draft, ImplementationRecord, Indicator, Provision
from accord.audit.models import AuditEvent
from accord.claims.models import Claim
from accord.issues.models import Issue
from accord.packs.models import Pack
from accord.sources.models import Source

__all__ = [
    "Actor",
    "ActorAlias",
    "Affiliation",
    "Agreement",
    "AuditEvent",
    "Claim",
    "Draft",
    "ImplementationRecord",
    "Indicator",
    "Issue",
    "Pack",
    "Provision",
    "Source",
]
