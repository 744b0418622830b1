"""Who organizes: joint organizers, one authority, the one that leads (real extraction)."""
from __future__ import annotations

import pytest

import unionie

ORGANIZERS = [
    # joined by 、/和: each organizes
    ("广州市总工会、越秀区总工会向快递员送上大礼包500份。", ["广州市总工会", "越秀区总工会"]),
    ("市邮政管理局、市总工会和市快递行业联合工会慰问快递员120人。",
     ["市邮政管理局", "市总工会", "市快递行业联合工会"]),
    # a party committee and its government are one authority: one span
    ("区委、区政府评选表彰区级劳动模范86名。", ["区委、区政府"]),
    # A联合B: A leads, B is a partner
    ("区总工会联合区交通局成立网约车行业工会联合会，吸纳会员3200多人。", ["区总工会"]),
    # an activity begun in a headline and told in the body: the body's subject organizes it
    ("慰问劳模、困难职工\n\n春节前夕，院工会主席刘香玉把慰问金送到9名劳模手中。", ["院工会"]),
    # the other reading: begun in a clause with its own subject, that subject keeps it
    ("市总工会开展送温暖活动，区总工会向困难职工发放慰问金12万元。", ["市总工会"]),
]


@pytest.mark.parametrize("text,expected", ORGANIZERS, ids=[t[:16] for t, _ in ORGANIZERS])
def test_organizers_of_the_first_event(text: str, expected: list[str]) -> None:
    ev = unionie.extract(text).to_dict()["events"][0]
    assert [a["text"] for a in ev["arguments"] if a["role"] == "organizer"] == expected, ev
