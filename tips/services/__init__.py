"""Writes on tips, one module per part of a tip's life; reads are in tips.selectors.

- intake: the public's tip and receipt, the tipster's reply;
- proposing: each tip's lead, proposed as it arrives (tips.matching), and again when asked;
- leads: an investigator's decision on a whole lead;
- triage: an investigator's decision on one tip;
- bulk: the same action on many tips;
- retention: what is deleted, and when;
- export: the CSV export, audited;
- tags: the investigators' tags themselves.

Views import `from tips import services` and call `services.tip_create(...)`: the names below
are the package's public surface.
"""

from tips.services.bulk import (
    BulkResult,
    tip_mark_duplicate_many,
    tip_question_many,
    tip_tags_change,
)
from tips.services.export import tips_export_csv
from tips.services.intake import (
    AlreadyReceived,
    Receipt,
    TipsClosed,
    tip_create,
    tip_receipt_rekey,
    tip_reply,
)
from tips.services.leads import (
    LeadDecision,
    NoSuchLead,
    lead_ask,
    lead_confirm,
    lead_forward,
    lead_mark_useful,
    lead_split,
)
from tips.services.proposing import leads_recompute, tip_propose_lead, tip_propose_lead_safely
from tips.services.retention import PurgeResult, tip_purge
from tips.services.tags import tag_delete, tag_save
from tips.services.triage import (
    TRANSITIONS,
    TransitionNotAllowed,
    tip_ask,
    tip_assign,
    tip_forward,
    tip_mark_duplicate,
    tip_note,
    tip_question,
    tip_reveal_contact,
    tip_reveal_photo,
    tip_set_priority,
    tip_transition,
    tip_undo,
)

__all__ = [
    "LeadDecision",
    "NoSuchLead",
    "lead_ask",
    "lead_confirm",
    "lead_forward",
    "lead_mark_useful",
    "lead_split",
    "leads_recompute",
    "tip_mark_duplicate_many",
    "tip_propose_lead",
    "tip_propose_lead_safely",
    "tip_receipt_rekey",
    "tip_undo",
    "TRANSITIONS",
    "AlreadyReceived",
    "BulkResult",
    "PurgeResult",
    "Receipt",
    "TipsClosed",
    "TransitionNotAllowed",
    "tip_ask",
    "tip_assign",
    "tip_create",
    "tip_forward",
    "tip_mark_duplicate",
    "tip_note",
    "tip_purge",
    "tip_question",
    "tip_question_many",
    "tip_reply",
    "tip_reveal_contact",
    "tip_reveal_photo",
    "tip_set_priority",
    "tip_tags_change",
    "tip_transition",
    "tips_export_csv",
    "tag_delete",
    "tag_save",
]
