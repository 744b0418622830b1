"""The administrative-division gazetteer: province, city and county names with their codes.

The table is the national division code table that the maintained PyPI package
`cpca <https://pypi.org/project/cpca/>`_ ships offline (``cpca/resources/adcodes.csv``:
3,500 provinces, prefecture-level cities and counties/districts with their 12-digit
codes). unionie reads that file directly — located through ``importlib.metadata``,
without importing cpca, whose import builds a pandas-based matcher that is not needed
here — and keeps only names and codes. Nothing is fetched from the network.

Levels follow the code: ``XX0000`` a province (or municipality / SAR), ``XXXX00`` a
prefecture-level city (or autonomous prefecture, league, region), anything else a
county, district, banner or county-level city. Towns (镇/乡/街道) are not in the table;
:mod:`unionie.activity.organizer` recognises them by their suffix.
"""
from __future__ import annotations

import csv
import functools
import importlib.metadata
import io
from dataclasses import dataclass
from typing import Iterator

__all__ = ["Place", "Gazetteer", "gazetteer", "MUNICIPALITIES"]

#: Municipalities directly under the central government: their unions are provincial.
MUNICIPALITIES = ("110000", "120000", "310000", "500000")

# suffixes that may be left out when a province or city is named (江苏 for 江苏省, 淮安 for 淮安市)
_SHORT_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市",
                   "自治州", "地区", "盟")
_SKIP_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass(frozen=True, slots=True)
class Place:
    """One division: its 6-digit code, its name and its rank (0 province, 1 city, 2 county)."""

    code: str
    name: str
    rank: int

    @property
    def parent_codes(self) -> tuple[str, ...]:
        """The codes of the province (and city) this place belongs to."""
        if self.rank == 0:
            return ()
        if self.rank == 1:
            return (self.code[:2] + "0000",)
        return (self.code[:2] + "0000", self.code[:4] + "00")

    def within(self, other: "Place") -> bool:
        """True when this place is ``other`` or lies inside it."""
        return self.code[: (other.rank + 1) * 2] == other.code[: (other.rank + 1) * 2] and self.rank >= other.rank


class Gazetteer:
    """Name look-ups over the division table: full names (淮安市) and, for provinces and
    cities, short names (淮安)."""

    def __init__(self, rows: Iterator[tuple[str, str]]) -> None:
        self.by_code: dict[str, Place] = {}
        self.by_name: dict[str, list[Place]] = {}
        for code12, name in rows:
            code = code12[:6]
            if name in _SKIP_NAMES or code in self.by_code:
                continue
            rank = 0 if code.endswith("0000") else 1 if code.endswith("00") else 2
            place = Place(code, name, rank)
            self.by_code[code] = place
            self.by_name.setdefault(name, []).append(place)
            if rank < 2 or name.endswith("市"):  # county-level cities (昆山市 -> 昆山) too
                for suffix in _SHORT_SUFFIXES:
                    if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                        self.by_name.setdefault(name[: -len(suffix)], []).append(place)
                        break
        self.max_len = max(len(n) for n in self.by_name)

    def lookup(self, name: str) -> list[Place]:
        return self.by_name.get(name, [])

    def parent(self, place: Place) -> Place | None:
        for code in reversed(place.parent_codes):
            p = self.by_code.get(code)
            if p is not None:
                return p
        return None

    def chain(self, place: Place) -> list[Place]:
        """The province, city and county of ``place``, top first (those in the table)."""
        out = [place]
        p = self.parent(place)
        while p is not None:
            out.append(p)
            p = self.parent(p)
        return out[::-1]

    def region(self, place: Place) -> str:
        """The full region name, top first: 江苏省淮安市涟水县."""
        return "".join(p.name for p in self.chain(place))

    def match_at(self, text: str, i: int) -> list[tuple[str, list[Place]]]:
        """Every gazetteer name starting at ``text[i]``, longest first."""
        out = []
        for n in range(min(self.max_len, len(text) - i), 1, -1):
            places = self.by_name.get(text[i:i + n])
            if places:
                out.append((text[i:i + n], places))
        return out


def _rows() -> Iterator[tuple[str, str]]:
    try:
        files = importlib.metadata.files("cpca") or []
    except importlib.metadata.PackageNotFoundError:
        raise ImportError('the activity table needs the division table of "cpca"; install it with: '
                          'pip install "unionie[activities]"') from None
    path = next((f for f in files if f.name == "adcodes.csv"), None)
    if path is None:  # pragma: no cover - a broken cpca installation
        raise ImportError("cpca is installed without its resources/adcodes.csv")
    data = path.read_text(encoding="utf-8")
    for rec in csv.DictReader(io.StringIO(data)):
        yield rec["adcode"], rec["name"].strip()


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, built once per process from cpca's table."""
    return Gazetteer(_rows())
