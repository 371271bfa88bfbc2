"""The wide interchange format, shared by export, import and the analysts' command line.

One row per response: these metadata columns, then one column per item key holding its code
(multiple choice: the codes joined by ``;`` in ascending order), number or text.
"""

from __future__ import annotations

META_COLUMNS = (
    "response_id",
    "koploper",
    "wave",
    "questionnaire",
    "questionnaire_version",
    "submitted_at",
    "channel",
    "language",
)
MULTIPLE_SEPARATOR = ";"
