"""Reads on tips, one module per part of the back-office and the follow-up page; writes are in
tips.services. Each read is bounded (no unbounded COUNT(*), a LIMIT on every list), none writes
and none raises an HTTP error: a view turns "not found" into its 404.

- search: full-text search;
- duplicates: likely duplicates of a tip, an object's clusters;
- leads: an object's leads and what proposing a tip's lead reads;
- queue: the queue, the desk, per-object figures;
- threads: the follow-up page, the conversation, the decrypted contact and photo.

Views import `from tips import selectors` and call `selectors.tip_duplicates(...)`.
"""

from tips.selectors.duplicates import (
    DUPLICATE_OLDER_MS,
    DUPLICATE_SIMILARITY,
    DUPLICATE_WINDOW,
    LEAD_WINDOW,
    normalise,
    tip_clusters,
    tip_duplicates,
)
from tips.selectors.leads import (
    KNOWN_LIMIT,
    ProposedLead,
    known_leads,
    lead_tips,
    object_common_words,
    object_leads,
    object_splits,
    tip_lead,
)
from tips.selectors.queue import desk_summary, object_tip_figures, queue_left, tip_next_in_queue
from tips.selectors.search import FTS_PREFILTER_SQL, FTS_SQL, tip_search
from tips.selectors.threads import (
    PUBLIC_STATE,
    FollowUp,
    can_receive_questions,
    tip_contact,
    tip_follow_up,
    tip_photo,
    tip_thread,
)

__all__ = [
    "DUPLICATE_OLDER_MS",
    "DUPLICATE_SIMILARITY",
    "DUPLICATE_WINDOW",
    "FTS_PREFILTER_SQL",
    "FTS_SQL",
    "KNOWN_LIMIT",
    "LEAD_WINDOW",
    "PUBLIC_STATE",
    "FollowUp",
    "ProposedLead",
    "can_receive_questions",
    "desk_summary",
    "known_leads",
    "lead_tips",
    "normalise",
    "object_common_words",
    "object_leads",
    "object_splits",
    "object_tip_figures",
    "queue_left",
    "tip_clusters",
    "tip_contact",
    "tip_duplicates",
    "tip_follow_up",
    "tip_lead",
    "tip_next_in_queue",
    "tip_photo",
    "tip_search",
    "tip_thread",
]
