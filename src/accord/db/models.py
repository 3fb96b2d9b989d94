"""Import every domain's models so that ``Base.metadata`` knows all tables (for Alembic)."""

from accord.actors.models import Actor, ActorAlias, Affiliation
from accord.agreements.models import Agreement, Draft, ImplementationRecord, Indicator, Provision
from accord.alerts.models import Alert, FeedToken, OutboxMessage, Subscription
from accord.audit.models import AuditEvent
from accord.claims.models import Claim
from accord.council.models import CouncilMember, Ruling
from accord.feeds.models import Feed, FeedItem, StoryMember
from accord.incidents.models import (
    Cluster,
    ClusterMember,
    DedupDecision,
    Incident,
    IncidentLock,
    ViolationCandidate,
    ZoneHit,
)
from accord.issues.models import Issue
from accord.packs.models import Pack
from accord.reports.models import ReportArtifact
from accord.sources.models import Source
from accord.users.models import ApiToken, User
from accord.zones.models import Ceasefire, Zone

__all__ = [
    "Actor",
    "ActorAlias",
    "Affiliation",
    "Agreement",
    "Alert",
    "ApiToken",
    "AuditEvent",
    "Ceasefire",
    "Claim",
    "Cluster",
    "ClusterMember",
    "CouncilMember",
    "DedupDecision",
    "Draft",
    "Feed",
    "FeedItem",
    "FeedToken",
    "ImplementationRecord",
    "Incident",
    "IncidentLock",
    "Indicator",
    "Issue",
    "OutboxMessage",
    "Pack",
    "Provision",
    "ReportArtifact",
    "Ruling",
    "Source",
    "StoryMember",
    "Subscription",
    "User",
    "ViolationCandidate",
    "Zone",
    "ZoneHit",
]
