"""Documents for the writer tests: the two gold seeds and a small synthetic corpus.

The seeds are real SCHEMA dicts (corpus/gold/seeds.jsonl) given their text from
corpus/reports/. The synthetic documents are real :class:`unionie.Document`
objects built piece by piece, so every offset is exact by construction; they
cover what the seeds lack: confidences, rules, resolved dates, entities, a range,
an extension event type, HTML-special characters and a document without events.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from unionie.document import Argument, Date, Document, Entity, Event, Quantity, Span

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "corpus" / "gold" / "seeds.jsonl"
REPORTS = ROOT / "corpus" / "reports"


def seed_docs(with_text: bool = True) -> list[dict]:
    docs = []
    for line in SEEDS.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        if with_text:
            d["text"] = (REPORTS / f"{d['doc_id']}.txt").read_text(encoding="utf-8")
        docs.append(d)
    return docs


@dataclass(frozen=True)
class Q:
    """A quantity to place where it appears in an event's parts."""

    text: str
    value: object
    unit: str
    qualifier: str = "exact"
    value_max: object = None
    per: tuple[str, ...] = ()


@dataclass(frozen=True)
class D:
    text: str
    value: str | None
    grain: str


@dataclass(frozen=True)
class E:
    text: str
    label: str


class _Builder:
    """Appends text and records spans at their exact offsets."""

    def __init__(self) -> None:
        self.text = ""
        self.events: list[Event] = []
        self.quantities: list[Quantity] = []
        self.dates: list[Date] = []
        self.entities: list[Entity] = []

    def put(self, s: str) -> tuple[int, int]:
        start = len(self.text)
        self.text += s
        return start, len(self.text)

    def qty(self, s: str, value, unit: str, qualifier: str = "exact", value_max=None,
            per: tuple[str, ...] = ()) -> Quantity:
        a, b = self.put(s)
        q = Quantity(s, a, b, Decimal(str(value)), unit, qualifier,
                     None if value_max is None else Decimal(str(value_max)), per, rule="test.qty")
        self.quantities.append(q)
        return q

    def date(self, s: str, value: str | None, grain: str) -> Date:
        a, b = self.put(s)
        d = Date(s, a, b, value, grain, rule="test.date")
        self.dates.append(d)
        return d

    def ent(self, s: str, label: str) -> Entity:
        a, b = self.put(s)
        e = Entity(s, a, b, label, rule="test.ent")
        self.entities.append(e)
        return e

    def event(self, type_: str, parts: list, confidence: float = 0.9) -> Event:
        """``parts``: plain strings, ("T", trigger), (role, text), (role, Q|D|E) placed here,
        or (role, Quantity|Date|Entity) already placed earlier."""
        start = len(self.text)
        trigger = None
        args: list[Argument] = []
        for p in parts:
            if isinstance(p, str):
                self.put(p)
            elif isinstance(p[1], Q):
                q = self.qty(p[1].text, p[1].value, p[1].unit, p[1].qualifier, p[1].value_max, p[1].per)
                args.append(Argument(p[0], q.text, q.start, q.end, quantity=q))
            elif isinstance(p[1], D):
                d = self.date(p[1].text, p[1].value, p[1].grain)
                args.append(Argument(p[0], d.text, d.start, d.end, date=d))
            elif isinstance(p[1], E):
                e = self.ent(p[1].text, p[1].label)
                args.append(Argument(p[0], e.text, e.start, e.end))
            elif p[0] == "T":
                a, b = self.put(p[1])
                trigger = Span(p[1], a, b)
            elif isinstance(p[1], Quantity):
                q = p[1]
                args.append(Argument(p[0], q.text, q.start, q.end, quantity=q))
            elif isinstance(p[1], Date):
                d = p[1]
                args.append(Argument(p[0], d.text, d.start, d.end, date=d))
            elif isinstance(p[1], Entity):
                e = p[1]
                args.append(Argument(p[0], e.text, e.start, e.end))
            else:
                a, b = self.put(p[1])
                args.append(Argument(p[0], p[1], a, b))
        assert trigger is not None
        ev = Event(type_, trigger, start, len(self.text), tuple(args), confidence,
                   rule=f"test.{type_}")
        self.events.append(ev)
        return ev

    def document(self, doc_id: str, published: str | None) -> Document:
        return Document(self.text, doc_id, published, tuple(self.quantities), tuple(self.dates),
                        tuple(self.entities), tuple(self.events))


def synthetic_documents() -> list[Document]:
    """Three Documents with known answers (see the constants below)."""
    docs = []

    b = _Builder()
    b.put("2021年工作报告\n")
    org = b.ent("市总工会", "ORG")
    b.put("全年")
    b.event("subsidy", [("time", D("春节期间", "2021", "season")), "，", ("organizer", org), "投入资金",
                        ("amount", Q("1200万元", 12000000, "CNY")), ("T", "慰问"),
                        ("beneficiary", "困难职工"), ("beneficiary_count", Q("4500户", 4500, "户"))])
    b.put("；")
    b.event("subsidy", [("organizer", E("区总工会", "ORG")), "发放", ("T", "救助金"),
                        ("amount", Q("3至5万元", 30000, "CNY", "range", 50000)), "，标准",
                        ("rate", Q("5000元/人/年", 5000, "CNY", per=("人", "年")))], 0.75)
    b.put("。\n")
    b.event("contest", [("time", D("2021年5月", "2021-05", "month")), "举办",
                        ("name", "“建功十四五”"), ("T", "劳动竞赛"), ("count", Q("12场", 12, "场")),
                        "，参赛", ("participant_count", Q("3000余人", 3000, "人", "over"))])
    b.put("。\n")
    b.event("training", ["开展", ("T", "培训班"), ("count", Q("8期", 8, "期")), "，培训",
                         ("trainee_count", Q("600人次", 600, "人次"))], 0.6)
    b.put("。\n")
    docs.append(b.document("synthetic-2021", "2021-12-30"))

    b = _Builder()
    b.put("注意 <script>alert('x')</script> & “引号” 不是标签。\n")
    b.event("contest", [("time", D("2022年", "2022", "year")), ("organizer", E("新区总工会", "ORG")),
                        "组织", ("T", "技能大赛"), ("count", Q("3届", 3, "届"))], 0.8)
    b.put("；")
    b.event("subsidy", [("organizer", "新区总工会"), ("T", "帮扶"), "困难职工",
                        ("amount", Q("2.5万元", 25000, "CNY"))])
    b.put("；")
    b.event("safety_inspection", ["开展", ("T", "安全检查"), ("count", Q("40次", 40, "次"))], 0.5)
    b.put("。\n末尾<b>不加粗</b>。")
    docs.append(b.document("synthetic/2022 <&>", None))

    b = _Builder()
    b.put("本文没有任何事件，只有一个数字：")
    b.qty("7个", 7, "个")
    b.put("。")
    docs.append(b.document("synthetic-empty", "2023-01-01"))
    return docs


# Known answers for synthetic_documents()
SYNTHETIC_SUBSIDY_MONEY = {"市总工会": 12000000.0, "区总工会": 30000.0, "新区总工会": 25000.0}
SYNTHETIC_CONTESTS = {"synthetic-2021": 1, "synthetic/2022 <&>": 1, "synthetic-empty": 0}
SYNTHETIC_TYPES = {"subsidy", "contest", "training", "safety_inspection"}

# Known answers for the seeds (read off corpus/gold/seeds.jsonl by hand)
SEED_SUBSIDY_MONEY = {None: 4500000.0 + 330000.0 + 40000.0, "新区总工会": 22000.0 + 89000.0 + 200000.0}
SEED_MONEY_BY_TYPE = {"subsidy": 5181000.0, "employment_service": 53380000.0}
SEED_CONTESTS = {"changzhou-xinbei": 8, "zhenjiang-xinqu": 12}
SEED_EVENTS = {"changzhou-xinbei": 55, "zhenjiang-xinqu": 34}
