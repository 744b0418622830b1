"""The activity table: each real-world activity counted once across a collection.

>>> import unionie                                                   # doctest: +SKIP
>>> docs = list(unionie.extract_many(paths))                         # doctest: +SKIP
>>> acts = unionie.activities(docs)                                  # doctest: +SKIP
>>> acts[0].to_dict()["organizer"]                                   # doctest: +SKIP
{'name': '淮安市总工会', 'region': '江苏省淮安市', 'code': '320800', 'level': '市', ...}

See docs/activities.md for every rule that joins or keeps mentions apart.
"""
from __future__ import annotations

from .collect import activities
from .join import Activity, Figure, Join, Mention, build_mentions
from .neardup import NearDuplicate, near_duplicates
from .organizer import DocContext, Organizer
from .summary import summarize
from .timing import When
from .writers import to_frame
from ..io.tables import EXTRA_LEVELS

EXTRA_LEVELS["activities"] = lambda docs: to_frame(activities(docs))  # to_dataframe(level="activities")

__all__ = ["activities", "summarize", "Activity", "Mention", "Figure", "Join", "Organizer", "When",
           "NearDuplicate", "near_duplicates", "DocContext", "build_mentions"]
