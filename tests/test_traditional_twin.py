"""Traditional pages read like their Simplified twins (issue 18: Traditional pages are one of
the kinds of real report users bring).

Every report of ``corpus/real`` and ``corpus/reports`` is converted to Traditional characters
with OpenCC (``s2t``, character for character, so offsets are the same) and extracted again:
the events, their triggers and every argument span must be those of the Simplified text,
with the same values (a unit is the measure word as written, SCHEMA.md: 個 for 个). A
Traditional word missing from a lexicon, a trigger jieba cuts differently in Traditional
characters, or a date or figure read differently shows up here as a named difference.
"""
from __future__ import annotations

from pathlib import Path

import opencc
import pytest

import unionie

ROOT = Path(__file__).resolve().parents[1]
REPORTS = sorted((ROOT / "corpus" / "real" / "reports").glob("*.txt")) + sorted(
    (ROOT / "corpus" / "reports").glob("*.txt"))
_S2T = opencc.OpenCC("s2t")
_T2S = opencc.OpenCC("t2s")


def _events(doc: unionie.Document) -> list[tuple]:
    return sorted((e.type, e.trigger.start, e.trigger.end,
                   tuple(sorted((a.role, a.start, a.end,
                                 None if a.quantity is None else (a.quantity.value, _T2S.convert(a.quantity.unit)),
                                 None if a.date is None else a.date.value)
                                for a in e.arguments)))
                  for e in doc.events)


@pytest.mark.parametrize("path", REPORTS, ids=[f"{p.parent.parent.name}/{p.stem}" for p in REPORTS])
def test_a_traditional_copy_gives_the_same_events(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    trad = _S2T.convert(text)
    if len(trad) != len(text):
        pytest.skip("OpenCC changed the length of this text: offsets cannot be compared")
    assert trad != text or not any("\u4e00" <= ch <= "\u9fff" for ch in text)
    simplified, traditional = unionie.extract(text), unionie.extract(trad)
    assert _events(traditional) == _events(simplified)
