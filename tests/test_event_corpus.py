"""The event corpus is a per-type specification: every line of corpus/events/<type>.jsonl
becomes one named test (``subsidy:7``) that runs ``unionie.extract`` on the line's text.

For each expected event, a predicted event of the same type must exist whose trigger
overlaps the expected trigger's first occurrence or lies inside the expected clause (the
line's ``clause`` if given, else the punctuation-delimited clause around the trigger);
one predicted event answers one expected event. Its quantity arguments (roles ending in
count, amount, rate, items) must be there with the same role and an overlapping span;
text roles (organizer, name, beneficiary ...) are checked only on lines marked
``"strict_text_roles": true``. A line with no event of the file's type, or with a
``tricky`` substring, must have no event of that type triggered inside the tricky part
(the whole text by default). Extra events of other types are allowed.

A line with ``"known_gap": "<what the rules get wrong>"`` documents a known limitation:
it runs as a strict xfail, so it fails the suite the day the rules start getting it
right (then the marker is removed)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import unionie

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "events"
SEPARATORS = "，,。；;：:！!？?\n"
QUANTITY_ROLES = ("count", "amount", "rate", "items")  # "count" also covers *_count


def _cases() -> list:
    out = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                case = json.loads(line)
                # a documented gap of the rules: the test must keep failing until it is fixed
                marks = ([pytest.mark.xfail(strict=True, reason=case["known_gap"])]
                         if case.get("known_gap") else [])
                out.append(pytest.param(path.stem, case, id=f"{path.stem}:{i}", marks=marks))
    return out


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _clause_around(text: str, pos: int) -> tuple:
    start = max(text.rfind(c, 0, pos) for c in SEPARATORS) + 1
    ends = [i for i in (text.find(c, pos) for c in SEPARATORS) if i >= 0]
    return start, min(ends, default=len(text))


def _span(text: str, s: str, clause: tuple, anchor: int) -> tuple:
    """The occurrence of ``s`` inside the clause, else the one nearest the trigger."""
    occ = [(m.start(), m.end()) for m in re.finditer(re.escape(s), text)]
    assert occ, f"corpus error: {s!r} is not in {text!r}"
    inside = [o for o in occ if clause[0] <= o[0] and o[1] <= clause[1]]
    return (inside or sorted(occ, key=lambda o: abs(o[0] - anchor)))[0]


def _expected(text: str, ev: dict, strict: bool) -> tuple:
    t0 = text.index(ev["trigger"])
    trigger = (t0, t0 + len(ev["trigger"]))
    if "clause" in ev:
        c0 = text.index(ev["clause"])
        clause = (c0, c0 + len(ev["clause"]))
    else:
        clause = _clause_around(text, t0)
    args = [(role, _span(text, s, clause, t0))
            for role, value in ev["args"].items() if strict or role.endswith(QUANTITY_ROLES)
            for s in (value if isinstance(value, list) else [value])]
    return trigger, clause, args


def _show(ev: dict) -> str:
    args = ", ".join(f"{a['role']}={a['text']}" for a in ev["arguments"])
    return f"{ev['type']}[{ev['trigger']['text']}@{ev['trigger']['start']}]({args})"


@pytest.mark.parametrize("file_type, case", _cases())
def test_event_corpus(file_type: str, case: dict) -> None:
    text = case["text"]
    predicted = unionie.extract(text).to_dict()["events"]
    problems = []
    pool = list(predicted)
    for ev in case["events"]:
        trigger, clause, args = _expected(text, ev, case.get("strict_text_roles", False))
        cands = [p for p in pool if p["type"] == ev["type"] and (
            _overlap((p["trigger"]["start"], p["trigger"]["end"]), trigger)
            or clause[0] <= p["trigger"]["start"] and p["trigger"]["end"] <= clause[1])]
        if not cands:
            problems.append(f"no {ev['type']} event for {ev['trigger']!r} in {text[clause[0]:clause[1]]!r}")
            continue

        def missing(p: dict) -> list:
            return [f"{role}={text[s[0]:s[1]]}" for role, s in args
                    if not any(a["role"] == role and _overlap((a["start"], a["end"]), s) for a in p["arguments"])]

        best = min(cands, key=lambda p: len(missing(p)))  # stable: trigger order breaks ties
        pool.remove(best)
        if missing(best):
            problems.append(f"{_show(best)} lacks {', '.join(missing(best))}")
    tricky = case.get("tricky") or ([] if any(e["type"] == file_type for e in case["events"]) else text)
    for s in [tricky] if isinstance(tricky, str) else tricky:
        for m in re.finditer(re.escape(s), text):
            problems += [f"spurious {_show(p)} in tricky part {s!r}" for p in predicted
                         if p["type"] == file_type and _overlap((p["trigger"]["start"], p["trigger"]["end"]), m.span())]
    assert not problems, "\n".join(problems) + "\npredicted: " + "; ".join(_show(p) for p in predicted)
