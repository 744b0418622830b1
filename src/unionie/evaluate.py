"""Scoring predictions against gold, by the definitions of ANNOTATION.md.

The same figures as the reference scorer (``shared/gold/score.py``), micro-averaged
over documents, overall and per event type:

- **quantity**: gold quantities vs predicted ``quantities``: spans overlap, same value
  and unit (qualifier and ``per`` are reported as accuracy over the matched ones);
- **event**: same type, and the predicted trigger overlaps the gold trigger or lies
  inside the gold clause; one-to-one, greedy in gold order;
- **typed_arg**: quantity-valued arguments (not ``time``): same event type, spans
  overlap, same value and unit;
- **role_arg**: every argument: same event type and role, spans overlap.

Optional gold (optional_quantities, optional_events, optional_arguments) counts
neither for nor against a prediction that hits it. Nor does a predicted ``time`` or
``organizer`` taken from a line before its event's trigger line (a section head, the
title, a dateline): the gold reads arguments within a line, so it cannot judge those;
the resolved gold carries ``line_starts`` for this (a gold file without it judges every
argument). A part of an activity given with 其中 is annotated as an optional argument of
that activity, so it is one of the optional arguments above.

A corpus folder holds *parts*: a folder with ``reports/`` and ``gold/`` (the YAML
``gold/annotations/`` resolved by :mod:`unionie.gold`, else ``gold/gold.jsonl``).
:func:`corpus_parts` finds them (the folder itself and any sub-folder), and
:func:`evaluate_part` extracts and scores one; parts are always scored apart, never pooled.
"""
from __future__ import annotations

import bisect
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Collection, Iterable, Mapping

from .api import extract
from .errors import InputError
from .gold import resolve_corpus
from .io.jsonl import read_gold, read_jsonl
from .io.readers import read_text

__all__ = ["PRF", "Scores", "score", "read_jsonl", "read_gold", "format_scores",
           "CorpusPart", "PartResult", "is_part", "corpus_parts", "part_gold", "predict_part",
           "evaluate_part", "format_parts", "parts_as_dict", "format_markdown"]

METRICS = ("quantity", "event", "typed_arg", "role_arg")
#: Roles a section head, title or dateline can give an event from an earlier line.
EARLIER_LINE_ROLES = ("time", "organizer")


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        """``{p, r, f1, tp, fp, fn}``; the ratios unrounded, so that printing them with three
        digits gives the digits of the text output (rounding twice would not)."""
        return {"p": self.p, "r": self.r, "f1": self.f1, "tp": self.tp, "fp": self.fp, "fn": self.fn}

    def __str__(self) -> str:
        return f"P {self.p:.3f} R {self.r:.3f} F1 {self.f1:.3f} (tp {self.tp} fp {self.fp} fn {self.fn})"


@dataclass
class Scores:
    overall: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    by_type: dict[str, dict[str, PRF]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(PRF)))
    qualifier: list[int] = field(default_factory=lambda: [0, 0])
    per: list[int] = field(default_factory=lambda: [0, 0])
    errors: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))
    missing_docs: list[str] = field(default_factory=list)
    documents: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The scores as JSON-ready data; the shape is stable (docs/evaluation.md):

        ``documents``; ``quantity``, ``event``, ``typed_arg``, ``role_arg`` (each
        ``{p, r, f1, tp, fp, fn}``); ``qualifier`` and ``per`` (``{correct, matched}``);
        ``by_type`` (type -> ``{event, typed_arg, role_arg}``); ``missing_docs``; and
        ``overall`` (the four metrics again, for scripts written before they were top-level).
        """
        metrics = {k: self.overall[k].as_dict() for k in METRICS}
        return {
            "documents": self.documents,
            **metrics,
            "qualifier": {"correct": self.qualifier[0], "matched": self.qualifier[1]},
            "per": {"correct": self.per[0], "matched": self.per[1]},
            "by_type": {t: {k: v[k].as_dict() for k in ("event", "typed_arg", "role_arg")}
                        for t, v in sorted(self.by_type.items())},
            "missing_docs": self.missing_docs,
            "overall": metrics,
        }


def _overlap(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def _same_value(a: Any, b: Any) -> bool:
    try:
        x, y = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(x - y) <= 1e-6 * max(1.0, abs(x), abs(y))


def _num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _match(gold: list[Any], pred: list[Any], ok: Callable[[Any, Any], bool]) -> tuple[list, list, list]:
    used: set[int] = set()
    pairs, miss = [], []
    for g in gold:
        for j, p in enumerate(pred):
            if j not in used and ok(g, p):
                used.add(j)
                pairs.append((g, p))
                break
        else:
            miss.append(g)
    extra = [p for j, p in enumerate(pred) if j not in used]
    return pairs, miss, extra


def _line_start_of(starts: list[int], pos: int) -> int:
    """The offset of the line that holds ``pos`` (``starts`` sorted, from ``line_starts``)."""
    return starts[bisect.bisect_right(starts, pos) - 1] if pos >= 0 and starts else 0


def _from_earlier_line(starts: list[int], e_pred: Mapping[str, Any], a: Mapping[str, Any]) -> bool:
    """A predicted time or organizer that lies before the line of its event's trigger."""
    if a.get("role") not in EARLIER_LINE_ROLES or not starts:
        return False
    t0 = (e_pred.get("trigger") or {}).get("start", -1)
    return bool(a["start"] < _line_start_of(starts, t0))


def _in_any(x: Mapping[str, Any], spans: Iterable[Mapping[str, Any]]) -> bool:
    """Whether ``x`` overlaps one of ``spans`` (the optional quantities of a gold document)."""
    return any(_overlap(x["start"], x["end"], o["start"], o["end"]) for o in spans)


def _score_doc(g: Mapping[str, Any], p: Mapping[str, Any], s: Scores) -> None:
    _score_quantities(g, p, s)
    ignored = _score_events(g, p, s)
    for typed, key in ((True, "typed_arg"), (False, "role_arg")):
        _score_arguments(g, p, s, ignored, typed, key)


def _score_quantities(g: Mapping[str, Any], p: Mapping[str, Any], s: Scores) -> None:
    """Quantities: span overlap, same value and unit; then qualifier and per of each match."""
    doc_id = g["doc_id"]
    opt_q = g.get("optional_quantities", [])
    gq = [q for q in g["quantities"] if not _in_any(q, opt_q)]
    pq = [q for q in p.get("quantities", []) if _num(q.get("value"))]

    def q_ok(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
        return (_overlap(a["start"], a["end"], b["start"], b["end"]) and _same_value(a["value"], b["value"])
                and (a["unit"] or "").strip() == (b.get("unit") or "").strip())

    pairs, miss, extra = _match(gq, pq, q_ok)
    extra = [x for x in extra if not _in_any(x, opt_q)]
    s.overall["quantity"].add(len(pairs), len(extra), len(miss))
    for a, b in pairs:
        ok_q = a.get("qualifier", "exact") == b.get("qualifier", "exact")
        s.qualifier[0] += ok_q
        s.qualifier[1] += 1
        if not ok_q:
            s.errors["qualifier"].append((doc_id, a["text"], a.get("qualifier"), b.get("qualifier")))
        ok_p = list(a.get("per") or []) == list(b.get("per") or [])
        s.per[0] += ok_p
        s.per[1] += 1
        if not ok_p:
            s.errors["per"].append((doc_id, a["text"], a.get("per"), b.get("per")))
    s.errors["quantity"] += [("miss", doc_id, x["text"], x["value"], x["unit"]) for x in miss]
    s.errors["quantity"] += [("extra", doc_id, x.get("text"), x.get("value"), x.get("unit")) for x in extra]


def _score_events(g: Mapping[str, Any], p: Mapping[str, Any], s: Scores) -> set[int]:
    """Events: same type, trigger overlap (or inside the gold event); the ids of the
    predicted events that match an optional gold event (their arguments are not scored)."""
    doc_id = g["doc_id"]
    ge, pe = list(g["events"]), list(p.get("events", []))

    def ev_ok(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
        if a["type"] != b.get("type"):
            return False
        bt = b.get("trigger") or {}
        b0, b1 = bt.get("start", -1), bt.get("end", -1)
        return (_overlap(a["trigger"]["start"], a["trigger"]["end"], b0, b1)
                or (a["start"] <= b0 and b1 <= a["end"]))

    pairs_e, miss_e, extra_e = _match(ge, pe, ev_ok)

    def is_opt_e(b: Mapping[str, Any]) -> bool:
        bt = b.get("trigger") or {}
        return any(o["type"] == b.get("type") and _overlap(o["start"], o["end"], bt.get("start", -1),
                                                          bt.get("end", -1))
                   for o in g.get("optional_events", []))

    ignored = [b for b in extra_e if is_opt_e(b)]
    extra_e = [b for b in extra_e if not is_opt_e(b)]
    s.overall["event"].add(len(pairs_e), len(extra_e), len(miss_e))
    for a, _ in pairs_e:
        s.by_type[a["type"]]["event"].add(1, 0, 0)
    for a in miss_e:
        s.by_type[a["type"]]["event"].add(0, 0, 1)
        clause = a.get("clause") or ""
        s.errors["event"].append(("miss", doc_id, a["type"], a["trigger"]["text"], clause))
    for b in extra_e:
        s.by_type[b.get("type", "?")]["event"].add(0, 1, 0)
        s.errors["event"].append(("extra", doc_id, b.get("type"), (b.get("trigger") or {}).get("text"), ""))
    return {id(b) for b in ignored}


def _arguments(events: Iterable[Mapping[str, Any]], typed: bool, ign: Collection[int] = (),
               gold: bool = False) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """(event, argument) pairs scored: with ``typed``, those with a numeric value (not time)."""
    out = []
    for e in events:
        if id(e) in ign:
            continue
        for a in (e["arguments"] if gold else e.get("arguments", [])):
            if not gold and "start" not in a:
                continue
            if typed and (not _num(a.get("value")) or (a["role"] if gold else a.get("role")) == "time"):
                continue
            out.append((e, a))
    return out


def _arg_ok(typed: bool) -> Callable[[Any, Any], bool]:
    """The match of two (event, argument) pairs: typed (value and unit) or by role."""
    if typed:
        def ok(x: Any, y: Any) -> bool:
            (ge_, a), (pe_, b) = x, y
            return (ge_["type"] == pe_.get("type") and _overlap(a["start"], a["end"], b["start"], b["end"])
                    and _same_value(a["value"], b.get("value"))
                    and (a["unit"] or "").strip() == (b.get("unit") or "").strip())
    else:
        def ok(x: Any, y: Any) -> bool:
            (ge_, a), (pe_, b) = x, y
            return (ge_["type"] == pe_.get("type") and a["role"] == b.get("role")
                    and _overlap(a["start"], a["end"], b["start"], b["end"]))
    return ok


def _score_arguments(g: Mapping[str, Any], p: Mapping[str, Any], s: Scores, ign: set[int], typed: bool,
                     key: str) -> None:
    """Arguments of one kind (``typed_arg`` or ``role_arg``), optional ones left out of the extras."""
    doc_id = g["doc_id"]
    starts = list(g.get("line_starts") or [])
    opt_q = g.get("optional_quantities", [])
    ge = list(g["events"])

    def opt_arg(e_pred: Mapping[str, Any], a: Mapping[str, Any]) -> bool:
        if typed and _in_any(a, opt_q):
            return True
        if not typed and _from_earlier_line(starts, e_pred, a):
            return True
        return any(e["type"] == e_pred.get("type") and any(
            _overlap(o["start"], o["end"], a["start"], a["end"]) for o in e.get("optional_arguments", []))
            for e in ge)

    pairs_a, miss_a, extra_a = _match(_arguments(ge, typed, gold=True),
                                      _arguments(list(p.get("events", [])), typed, ign), _arg_ok(typed))
    extra_a = [(e, a) for e, a in extra_a if not opt_arg(e, a)]
    s.overall[key].add(len(pairs_a), len(extra_a), len(miss_a))
    for (e, _), _p in pairs_a:
        s.by_type[e["type"]][key].add(1, 0, 0)
    for e, a in miss_a:
        s.by_type[e["type"]][key].add(0, 0, 1)
        s.errors[key].append(("miss", doc_id, e["type"], a["role"], a["text"]))
    for e, a in extra_a:
        s.by_type[e.get("type", "?")][key].add(0, 1, 0)
        s.errors[key].append(("extra", doc_id, e.get("type"), a.get("role"), a.get("text")))


def score(gold: Iterable[Mapping[str, Any]], pred: Iterable[Mapping[str, Any]]) -> Scores:
    """Score predicted documents (SCHEMA dicts) against gold documents (resolved gold dicts)."""
    by_id = {str(d.get("doc_id")): d for d in pred}
    s = Scores()
    for g in gold:
        s.documents += 1
        p = by_id.get(str(g["doc_id"]))
        if p is None:
            s.missing_docs.append(str(g["doc_id"]))
            p = {"events": [], "quantities": []}
        _score_doc(g, p, s)
    return s


def format_scores(s: Scores, *, errors: int = 0, per_type: bool = True) -> str:
    """The scores as text, in the layout of the reference scorer plus a per-type table."""
    lines = []
    for k in ("quantity", "qualifier", "per", "event", "typed_arg", "role_arg"):
        if k == "qualifier":
            lines.append(f"{k:10s} accuracy on matched quantities {s.qualifier[0]}/{s.qualifier[1]}")
        elif k == "per":
            lines.append(f"{k:10s} accuracy on matched quantities {s.per[0]}/{s.per[1]}")
        else:
            lines.append(f"{k:10s} {s.overall[k]}")
    if per_type and s.by_type:
        lines.append("")
        lines.append(f"{'type':22s} {'event F1':>9s} {'(tp/fp/fn)':>12s} {'typed F1':>9s} {'role F1':>8s}")
        for t in sorted(s.by_type):
            v = s.by_type[t]
            e = v["event"]
            lines.append(f"{t:22s} {e.f1:9.3f} {f'{e.tp}/{e.fp}/{e.fn}':>12s} {v['typed_arg'].f1:9.3f} "
                         f"{v['role_arg'].f1:8.3f}")
    if errors:
        for k, rows in s.errors.items():
            lines.append(f"--- {k} errors (first {errors} of {len(rows)})")
            for r in rows[:errors]:
                lines.append("    " + " ".join(str(x) for x in r))
    if s.missing_docs:
        lines.append(f"documents with no prediction: {len(s.missing_docs)}")
    lines.append(f"quantity_f1={s.overall['quantity'].f1:.3f} event_f1={s.overall['event'].f1:.3f} "
                 f"typed_arg_f1={s.overall['typed_arg'].f1:.3f} role_arg_f1={s.overall['role_arg'].f1:.3f}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- corpus parts

@dataclass(frozen=True)
class CorpusPart:
    """One scored part of a corpus: a folder with ``reports/`` and ``gold/``.

    ``name`` is the folder's path relative to the corpus folder given (``heldout``,
    ``real``), or the corpus folder's own name for its own reports (``corpus``).
    """

    name: str
    path: Path


@dataclass
class PartResult:
    """A part, its gold and predicted documents (SCHEMA dicts) and their scores."""

    part: CorpusPart
    gold: list[dict[str, Any]]
    pred: list[dict[str, Any]]
    scores: Scores


def is_part(folder: str | Path) -> bool:
    """Whether ``folder`` has ``reports/`` and gold (``gold/annotations/`` or ``gold/gold.jsonl``)."""
    f = Path(folder)
    return (f / "reports").is_dir() and ((f / "gold" / "annotations").is_dir()
                                        or (f / "gold" / "gold.jsonl").is_file())


def corpus_parts(root: str | Path, *, nested: bool = True) -> list[CorpusPart]:
    """The parts of a corpus folder: the folder itself when it is one (its own
    ``reports/`` and ``gold/``), then, with ``nested``, every folder below it that is one,
    in path order (``reports/`` and ``gold/`` folders and hidden folders are not searched)."""
    root = Path(root)
    parts = [CorpusPart(root.resolve().name or str(root), root)] if is_part(root) else []
    if nested:
        found = []
        for dirpath, dirnames, _ in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d not in ("reports", "gold") and not d.startswith("."))
            here = Path(dirpath)
            if here != root and is_part(here):
                found.append(CorpusPart(here.relative_to(root).as_posix(), here))
        parts += sorted(found, key=lambda p: p.name)
    return parts


def part_gold(folder: str | Path) -> list[dict[str, Any]]:
    """The resolved gold of a part: ``gold/annotations/*.yaml`` resolved against
    ``reports/`` (:func:`unionie.gold.resolve_corpus`), else ``gold/gold.jsonl``.

    :raises unionie.gold.GoldError: an annotation does not fit its report.
    :raises InputError: the part has no gold, or ``gold.jsonl`` is malformed.
    """
    folder = Path(folder)
    ann = folder / "gold" / "annotations"
    if ann.is_dir():
        return resolve_corpus(ann, folder / "reports")
    jsonl = folder / "gold" / "gold.jsonl"
    if jsonl.is_file():
        return read_gold(jsonl)
    raise InputError(f"{folder} has no gold/annotations folder nor gold/gold.jsonl")


def predict_part(folder: str | Path, gold: Iterable[Mapping[str, Any]], nlp: Any = None) -> list[dict[str, Any]]:
    """Extract ``reports/<doc_id>.txt`` for every gold document (with its ``published``)."""
    reports = Path(folder) / "reports"
    return [extract(read_text(reports / f"{g['doc_id']}.txt"), doc_id=str(g["doc_id"]),
                    published=g.get("published") or None, nlp=nlp).to_dict()
            for g in gold]


def evaluate_part(part: CorpusPart | str | Path, nlp: Any = None) -> PartResult:
    """Extract the reports of one part and score them against its gold."""
    if not isinstance(part, CorpusPart):
        part = CorpusPart(Path(part).resolve().name, Path(part))
    gold = part_gold(part.path)
    pred = predict_part(part.path, gold, nlp=nlp)
    return PartResult(part, gold, pred, score(gold, pred))


def parts_as_dict(results: Iterable[PartResult]) -> dict[str, Any]:
    """``{"parts": {name: {"path": ..., **Scores.as_dict()}}}``, parts in the order given."""
    return {"parts": {r.part.name: {"path": r.part.path.as_posix(), **r.scores.as_dict()}
                      for r in results}}


def _summary_rows(results: list[PartResult]) -> list[tuple[str, int, list[PRF]]]:
    return [(r.part.name, r.scores.documents, [r.scores.overall[k] for k in METRICS]) for r in results]


def format_parts(results: Iterable[PartResult], *, errors: int = 0, per_type: bool = True) -> str:
    """Every part apart: a summary (F1 of each metric, one row a part), then each part's scores
    in the layout of :func:`format_scores`."""
    results = list(results)
    w = max([len("part")] + [len(r.part.name) for r in results])
    lines = ["F1 by part (each part scored apart, never pooled)",
             f"{'part':{w}s} {'docs':>5s} " + " ".join(f"{k:>9s}" for k in METRICS)]
    for name, n, prfs in _summary_rows(results):
        lines.append(f"{name:{w}s} {n:5d} " + " ".join(f"{x.f1:9.3f}" for x in prfs))
    for r in results:
        lines += ["", f"== {r.part.name} ({r.part.path.as_posix()}, {r.scores.documents} documents)",
                  format_scores(r.scores, errors=errors, per_type=per_type)]
    return "\n".join(lines)


def format_markdown(results: Iterable[PartResult]) -> str:
    """The parts as Markdown tables (for docs/evaluation.md): a summary, then for each part
    the four metrics (P, R, F1, tp/fp/fn), the qualifier and ``per`` accuracy, and the
    per-type table."""
    results = list(results)
    lines = ["| part | documents | " + " | ".join(f"{k} F1" for k in METRICS) + " |",
             "|---|---:|" + "---:|" * len(METRICS)]
    for name, n, prfs in _summary_rows(results):
        lines.append(f"| {name} | {n} | " + " | ".join(f"{x.f1:.3f}" for x in prfs) + " |")
    for r in results:
        s = r.scores
        lines += ["", f"### {r.part.name}", "",
                  f"`{r.part.path.as_posix()}`: {s.documents} documents.", "",
                  "| metric | P | R | F1 | tp/fp/fn |", "|---|---:|---:|---:|---:|"]
        for k in METRICS:
            x = s.overall[k]
            lines.append(f"| {k} | {x.p:.3f} | {x.r:.3f} | {x.f1:.3f} | {x.tp}/{x.fp}/{x.fn} |")
        lines += ["", f"Qualifier accuracy on matched quantities {s.qualifier[0]}/{s.qualifier[1]}, "
                      f"`per` accuracy {s.per[0]}/{s.per[1]}.", "",
                  "| type | event F1 (tp/fp/fn) | typed_arg F1 (tp/fp/fn) | role_arg F1 (tp/fp/fn) |",
                  "|---|---:|---:|---:|"]
        for t in sorted(s.by_type):
            cells = [f"{v.f1:.3f} ({v.tp}/{v.fp}/{v.fn})" for v in
                     (s.by_type[t][k] for k in ("event", "typed_arg", "role_arg"))]
            lines.append(f"| {t} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
