"""The quantity corpus is the specification: every line of corpus/quantities/*.jsonl
becomes one named test (``money:17``) comparing what the normalizer finds with
what the line expects: same spans (by overlap), value, unit, qualifier, value_max
and per, and no extra quantity."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from unionie.normalize.quantities import find_quantities

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "quantities"


def _cases() -> list:
    out = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                out.append(pytest.param(json.loads(line), id=f"{path.stem}:{i}"))
    return out


def _num(x: object) -> Decimal | None:
    return None if x is None else Decimal(str(x))


def _key(q: dict) -> tuple:
    return (_num(q["value"]), q["unit"], q.get("qualifier", "exact"), _num(q.get("value_max")),
            tuple(q.get("per") or ()))


@pytest.mark.parametrize("case", _cases())
def test_quantity_corpus(case: dict) -> None:
    text = case["text"]
    found = find_quantities(text)
    for q in found:
        assert text[q.start:q.end] == q.text
    got = [(q.text, _key(q.to_dict())) for q in found]
    want = [(q["text"], _key(q)) for q in case["quantities"]]
    # spans are matched by overlap: compare the values in order, and check each overlap
    assert [k for _, k in got] == [k for _, k in want], f"{text!r}: got {got}, want {want}"
    pos = 0
    for q, w in zip(found, case["quantities"]):
        ws = text.index(w["text"], pos)
        pos = ws
        assert q.start < ws + len(w["text"]) and ws < q.end, f"{q.text!r} does not overlap {w['text']!r}"
