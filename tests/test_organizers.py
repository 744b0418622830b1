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
    # an ORG followed by a speaker's titles, name and a word of speech is whom the speaker
    # belongs to, not the subject; one followed by its people (负责同志) is no subject either
    ("市委常委、市委统战部部长李明宣读了表彰决定，表彰劳动模范86名。", []),
    ("甘肃省总工会党组书记、常务副主席陈琳表示，全省建立困难职工帮扶中心14个。", []),
    ("各市直工会负责同志出席大会，表彰劳动模范86名。", []),
    # the authority a clause follows (按照…的要求, 根据…) is no subject of the paragraph …
    ("2010年，九江市各级工会动员全市职工学习，按照全国总工会关于普遍建立工会组织的要求开展工作。"
     "全年有21.6万名职工参加各类劳动竞赛。", ["九江市各级工会"]),
    # … while the one whose call is answered (响应…) is the organizer of its own contest, and
    # 响应 is not part of its name
    ("对司售人员劳动状况开展调研，响应市总工会“双争双智”竞赛，全局参与合理化建议170条。", ["市总工会"]),
    # an ORG with a figure right before or after it names the kind of organizations counted
    # (新建非公企业工会632家, 推动1101家非公企业工会完成换届): the union that acts is the head's
    ("2016年，市总工会推进工会组建。全年新建非公企业工会632家，推动1101家非公企业工会完成民主换届。",
     ["市总工会"]),
    ("截至目前，已有24个省级工会开展试点。", []),
    # … while a union with a date after it acts
    ("市总工会2022年新建基层工会12家。", ["市总工会"]),
    # the agent of a relative clause ending at the trigger (X送来的慰问金, X举办的竞赛) organizes,
    # not the clause's subject; the agent of 由 after the trigger when none stands before it
    ("1月17日，春节临近，保靖县毛沟中学的游顺华老师收到了县教育工会送来的慰问金。", ["县教育工会"]),
    ("区总工会举办的职工技能竞赛共有选手200名参赛。", ["区总工会"]),
    ("8月22日，2014年“金秋助学”助学金发放仪式由市总工会举办。", ["市总工会"]),
    # ORGs (joined by 、) right before a trigger that opens a relative clause give (…授予的称号)
    ("淅川县电业局荣获河南省总工会、河南省安全生产监督管理局授予的“安康杯”竞赛优胜单位称号。",
     ["河南省总工会", "河南省安全生产监督管理局"]),
    # a union acting through its staff (班子成员, 领导班子成员, 机关干部) organizes …
    ("同时，府谷县总工会领导班子成员分成3个慰问组，集中慰问部分生活困难的一线生产工人并送上慰问金。",
     ["府谷县总工会"]),
    ("县总工会班子成员分头赶到建设工地，慰问奋战在一线的职工500名。", ["县总工会"]),
    # … not when the staff is the topic (…领导班子和干部队伍建设)
    ("各级工会领导班子和干部队伍建设不断加强，区总工会培训工会干部6200多人次。", ["区总工会"]),
    # … while a union acting through its chairman organizes
    ("县总工会常务副主席李云会带领机关干部走访慰问困难职工48户。", ["县总工会"]),
]


@pytest.mark.parametrize("text,expected", ORGANIZERS, ids=[t[:16] for t, _ in ORGANIZERS])
def test_organizers_of_the_first_event(text: str, expected: list[str]) -> None:
    ev = unionie.extract(text).to_dict()["events"][0]
    assert [a["text"] for a in ev["arguments"] if a["role"] == "organizer"] == expected, ev


HONOUR_GIVERS = [
    # an honour received with no agent is given by the organizer of the sentence's honour before it
    ("年内，广东省总工会评定市总工会为2016年度广东省工会工作优秀单位，市总工会同时获得固本强基工作特等奖。",
     "获得", ["广东省总工会"]),
    ("前不久，成都市总工会公布了2022年成都市五一劳动奖的表彰决定：中铁七局集团武汉工程有限公司获授"
     "“成都市五一劳动奖状”。", "获授", ["成都市总工会"]),
    # … not when that organizer is the one who receives, stands in another sentence, or is not
    # its clause's subject (在…表彰中)
    ("市总工会评选表彰劳动模范86名，市总工会同时获得省级先进单位称号。", "获得", []),
    ("市总工会评选表彰劳动模范86名。区总工会获得省级先进单位称号。", "获得", []),
    ("在今年的全国工会表彰中，该工会所属的鹭门集装箱码头公司工会荣获“全国模范职工之家”称号。", "荣获", []),
    ("年内，市总工会获得固本强基工作特等奖。", "获得", []),
]


@pytest.mark.parametrize("text,trigger,expected", HONOUR_GIVERS, ids=[t[:16] for t, _, _ in HONOUR_GIVERS])
def test_giver_of_an_honour_received(text: str, trigger: str, expected: list[str]) -> None:
    events = [e for e in unionie.extract(text).to_dict()["events"]
              if e["type"] == "honor" and e["trigger"]["text"] == trigger]
    assert len(events) == 1, events
    assert [a["text"] for a in events[0]["arguments"] if a["role"] == "organizer"] == expected, events[0]
