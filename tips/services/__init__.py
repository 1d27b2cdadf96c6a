"""Writes on tips, one module per part of a tip's life; reads are in tips.selectors.

- intake: the public's tip and receipt, the tipster's follow-up and answer;
- triage: an investigator's decision on one tip;
- bulk: the same action on many tips;
- retention: what is deleted, and when;
- export: the CSV export, audited;
- tags: the investigators' tags themselves.

Views import `from tips import services` and call `services.tip_create(...)`: the names below
are the package's public surface.
"""

from tips.services.answers import (
    AnswerDecision,
    NoSuchAnswer,
    answer_ask,
    answer_confirm,
    answer_forward,
    answer_mark_useful,
    answer_split,
)
from tips.services.bulk import (
    BulkResult,
    tip_mark_duplicate_many,
    tip_question_many,
    tip_tags_change,
)
from tips.services.export import tips_export_csv
from tips.services.intake import (
    PUBLIC_STATE,
    AlreadyReceived,
    FollowUp,
    Receipt,
    TipsClosed,
    tip_answer,
    tip_contact,
    tip_create,
    tip_follow_up,
    tip_photo,
)
from tips.services.proposals import answers_recompute, tip_propose_answer
from tips.services.retention import PurgeResult, tip_purge
from tips.services.tags import tag_delete, tag_save
from tips.services.triage import (
    TRANSITIONS,
    TransitionNotAllowed,
    can_receive_questions,
    tip_ask,
    tip_assign,
    tip_forward,
    tip_mark_duplicate,
    tip_note,
    tip_question,
    tip_reveal_contact,
    tip_reveal_photo,
    tip_set_priority,
    tip_thread,
    tip_transition,
    tip_undo,
)

__all__ = [
    "AnswerDecision",
    "NoSuchAnswer",
    "answer_ask",
    "answer_confirm",
    "answer_forward",
    "answer_mark_useful",
    "answer_split",
    "answers_recompute",
    "tip_mark_duplicate_many",
    "tip_propose_answer",
    "tip_undo",
    "PUBLIC_STATE",
    "TRANSITIONS",
    "AlreadyReceived",
    "BulkResult",
    "FollowUp",
    "PurgeResult",
    "Receipt",
    "TipsClosed",
    "TransitionNotAllowed",
    "can_receive_questions",
    "tip_answer",
    "tip_ask",
    "tip_assign",
    "tip_contact",
    "tip_create",
    "tip_follow_up",
    "tip_forward",
    "tip_mark_duplicate",
    "tip_note",
    "tip_photo",
    "tip_purge",
    "tip_question",
    "tip_question_many",
    "tip_reveal_contact",
    "tip_reveal_photo",
    "tip_set_priority",
    "tip_tags_change",
    "tip_thread",
    "tip_transition",
    "tips_export_csv",
    "tag_delete",
    "tag_save",
]
