"""Every area's models, imported in one place so metadata (and Alembic) sees all tables."""

from tracker.assessments.models import (  # noqa: F401
    Assessment,
    ContextNote,
    FactorRating,
    FactorTarget,
    QuestionAnswer,
)
from tracker.audit.models import AuditEntry  # noqa: F401
from tracker.auth.models import User  # noqa: F401
from tracker.benchmarks.models import BenchmarkDraft, BenchmarkVersion  # noqa: F401
from tracker.bin.models import BinEntry  # noqa: F401
from tracker.catalogue.models import (  # noqa: F401
    ContextFactor,
    Example,
    Factor,
    GuideQuestion,
    Programme,
    Theme,
)
from tracker.checkins.models import CheckIn, CheckInAction  # noqa: F401
from tracker.deliverables.models import Deliverable, DeliverableFile, DeliverableLink  # noqa: F401
from tracker.files.models import Attachment  # noqa: F401
from tracker.notifications.models import (  # noqa: F401
    EmailOptOut,
    JobRun,
    Notification,
    OutboxEmail,
)
from tracker.organisations.models import Organisation  # noqa: F401
from tracker.pairs.models import Pair  # noqa: F401
from tracker.plans.models import (  # noqa: F401
    Action,
    ActionPlan,
    Endorsement,
    PlanComment,
    ProgressUpdate,
    ProgressWithdrawal,
)
from tracker.programmes.models import DeliverableTemplate  # noqa: F401
from tracker.sharing.models import PeerReading  # noqa: F401
from tracker.visits.models import (  # noqa: F401
    FollowUp,
    Observation,
    Recommendation,
    Visit,
    VisitParticipant,
    VisitReport,
)
