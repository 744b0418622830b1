"""Where a text role ends: the words that bound a phrase (data/grammar.yaml
``phrase_boundaries``) decide, read exactly (not by overlap) on real extraction.
Each row: a sentence, the event type, the role, the exact texts expected; rows come in
pairs where a boundary is decided (the word as a boundary, and a phrase it does not cut)."""
from __future__ import annotations

import pytest

import unionie

ROWS = [
    # 让 (makes someone do): the group after it, not the union before it
    ("区总工会让困难职工领取慰问金12万元。", "subsidy", "beneficiary", ["困难职工"]),
    ("区总工会为困难职工发放慰问金12万元。", "subsidy", "beneficiary", ["困难职工"]),
    # 仅 (only) is not part of the group
    ("春节期间，市总工会慰问仅兰州市困难职工就达500户。", "subsidy", "beneficiary", ["兰州市困难职工"]),
    ("春节期间，市总工会慰问兰州市困难职工500户。", "subsidy", "beneficiary", ["兰州市困难职工"]),
    # 民工 (职民工: staff and migrant workers) and 人群 (低收入人群) head groups of people
    ("项目部借“冬送温暖”活动慰问职民工404人次。", "subsidy", "beneficiary", ["职民工"]),
    ("改则县总工会面向全县低收入人群开展了慰问活动，慰问187人。", "subsidy", "beneficiary", ["全县低收入人群"]),
    # 推出 (launches) is a verb before the group
    ("局工会推出职工疗休养活动，全年安排疗休养300人次。", "member_service", "beneficiary", ["职工"]),
    # 着 (a verb's aspect mark) ends a group phrase; 坚守岗位的一线职工 keeps its head
    ("市总工会慰问坚守岗位的一线职工800名。", "subsidy", "beneficiary", ["一线职工"]),
    # a 年度 date after the trigger that qualifies a noun is no time: the head's time holds
    ("年内，广东省总工会评定市总工会为2016年度广东省工会工作优秀单位。", "honor", "time", ["年内"]),
    # 奖项 (awards) ends an honour phrase
    ("在全省“五小”创新大赛中获得各类奖项1656个。", "honor", "honor", ["各类奖项"]),
    # an honour phrase starts after a date, not inside it
    ("年内，广东省总工会评定市总工会为2016年度广东省工会工作优秀单位。", "honor", "honor",
     ["广东省工会工作优秀单位"]),
    # … while a date after the trigger followed by a verb is the clause's own time
    ("市总工会会员医疗互助计划全年赔付4380人次。", "member_service", "time", ["全年"]),
    # 全年 (the year under discussion) points back at a year standing at the head of its sentence
    ("2022年，市总工会开展建会入会行动，全年累计组建新就业形态劳动者工会组织71个。",
     "organization_building", "time", ["2022年"]),
    ("2016年，市总工会开展送温暖活动，全年，市总工会慰问困难职工800户。", "subsidy", "time", ["2016年"]),
    # … not at a year of an earlier sentence, a period (2022年以来) or a year with its own figures
    ("2016年，市总工会开展工会组建行动。全年新建非公企业工会632家。",
     "organization_building", "time", ["全年"]),
    ("2022年以来，项目部关心职工生活，全年新建职工书屋12家。", "organization_building", "time", ["全年"]),
    ("2025年共制作视频100条，全年新建非公企业工会632家。", "organization_building", "time", ["全年"]),
    # a period (五年来) at the head of a later sentence carries to the rest of the paragraph …
    ("市总工会关心困难职工。五年来，各级工会组织慰问困难职工2506人次。职工技能竞赛累计举办12场。",
     "contest", "time", ["五年来"]),
    # … a point in time (2014年) holds for its sentence only, and ends the carried period
    ("市总工会关心困难职工。2014年，各级工会组织慰问困难职工2506人次。职工技能竞赛累计举办12场。",
     "contest", "time", []),
    ("市总工会关心困难职工。五年来，各级工会组织慰问困难职工2506人次。2017年，全州各级工会为农民工"
     "清欠工资4097.01万元。职工技能竞赛累计举办12场。", "contest", "time", []),
    # a day standing alone at the head of the sentence wins over a coarser date after it …
    ("12月21日，全区工会2011年元旦春节送温暖活动正式启动，慰问困难职工300户。", "subsidy", "time", ["12月21日"]),
    ("1月17日，春节临近，县教育工会为困难教师送去慰问金2万元。", "subsidy", "time", ["1月17日"]),
    # … not a day told with a verb (10月27日召开的会议), nor a head no finer than the later date
    ("10月27日召开的会议传出消息，截至9月底，全省已发放工会会员卡129.3万张。", "member_service", "time",
     ["9月底"]),
    ("2016年，全区工会2011年元旦春节送温暖活动正式启动，慰问困难职工300户。", "subsidy", "time",
     ["2011年元旦春节"]),
    # a news item's dateline (本报讯(记者…), 东北网2月16日讯(…)) opens the line: the date after it
    # heads the line (the date in the dateline is the report's)
    ("本报讯(记者李新和)近日，区总工会举办职工技能大赛，参赛选手100多名。", "contest", "time", ["近日"]),
    ("东北网2月16日讯(记者 印蕾)近日，市总工会慰问困难职工500户。", "subsidy", "time", ["近日"]),
    # a figure followed by a group of people counts that group: the group is the event's
    # beneficiary (participants …) when none was read, and the figure a count of people though
    # its measure word counts items (48个困难职工家庭) …
    ("五年来，各级工会组织发放助学金37.7万元，158名困难职工家庭子女由此圆了大学梦。", "subsidy",
     "beneficiary", ["困难职工家庭子女"]),
    ("县总工会为100名新就业形态劳动者每人提供健康体检卡。", "member_service", "beneficiary",
     ["新就业形态劳动者"]),
    ("元江县总工会发放慰问补助款127500元，共有48个困难职工家庭从中受益。", "subsidy",
     "beneficiary_count", ["48个"]),
    # … not a group that does not end its phrase (4个职工活动中心), nor enterprises or teams
    ("市总工会新建成4个职工活动中心。", "organization_building", "org_count", ["4个"]),
    ("市总工会慰问48个困难企业。", "subsidy", "items", ["48个"]),
    # the ones named before 等 and a count of people receive (each quoted name, or the ORG or
    # phrase ending there), in place of the kind after the count …
    ("会上授予“煤炭公司工会”、“煤矸发电厂工会”等18个工会组织“模范职工之家”称号。", "honor", "recipient",
     ["煤炭公司工会", "煤矸发电厂工会"]),
    ("会议授予武汉长江精工集团有限公司等60个集体“武汉市五一劳动奖状”。", "honor", "recipient",
     ["武汉长江精工集团有限公司"]),
    ("南海代办处为对口支援的教育、医务和乡村振兴工作者等232名职工配齐保障计划。", "member_service",
     "beneficiary", ["乡村振兴工作者"]),
    # … not honours listed before 等 (they are what is given), nor a count without 等
    ("今年颁奖礼共颁出「杰出义务工作者奖」、「杰出青年工作者奖」以及「一人发展一会员奖」等逾200个奖项。",
     "honor", "recipient", []),
    ("南海代办处为232名援派职工配齐保障计划。", "member_service", "beneficiary", ["援派职工"]),
    # members join once: person-times (人次) count services, not members …
    ("截至目前，全市已建成工会驿站20个，累计为新业态劳动者提供服务8000多人次。", "organization_building",
     "member_count", []),
    # … while persons (人, 名) do
    ("全年新建非公企业工会632家，新发展农民工会员6.4万人。", "organization_building", "member_count",
     ["6.4万人"]),
    # a figure inside a quoted name counts nothing of the event
    ("局工会组织职工参加“争创十条公交文明示范路段”竞赛。", "contest", "participant_count", []),
    ("局工会组织职工参加“安康杯”竞赛，参赛职工300名。", "contest", "participant_count", ["300名"]),
    # a date inside a quoted name is no time of the event …
    ("市总工会请劳模登上“五月风”讲坛宣讲12场。", "publicity", "time", []),
    ("州总工会组织为期一周的“迎新春送文化到基层”慰问演出7场。", "cultural_sports", "time", []),
    # … while one in quoted speech is; and quoted speech names nothing
    ("“今年我们在各镇街巡回举办招聘会10场，把岗位送到职工家门口。”区总工会负责人说。",
     "employment_service", "time", ["今年"]),
    ("“今年我们在各镇街巡回举办招聘会10场，把岗位送到职工家门口。”区总工会负责人说。",
     "employment_service", "name", []),
    # the group after an honour's name (…奖状集体, …奖章获得者) starts after the honour
    ("大会表彰了7个全国五一劳动奖状集体、15名全国五一劳动奖章获得者。", "honor", "recipient", ["集体"]),
    # persons named in a list right before a word of being honoured receive, each one (not the
    # enterprise they work for) …
    ("王青、杨丹丹当选2013年度“优秀工会工作者”。", "honor", "recipient", ["王青", "杨丹丹"]),
    ("全少峰、李海伟、全永红三名同志被评为2013年度“先进职工”。", "honor", "recipient",
     ["全少峰", "李海伟", "全永红"]),
    ("中铁七局武汉公司成都地铁13号线项目部员工毛铁柱、甘世润获授“成都市五一劳动奖章”荣誉称号。", "honor",
     "recipient", ["毛铁柱", "甘世润"]),
    # … not unions named by short names (市总、区总), nor a lone name (no list: no PERSON)
    ("市总、区总荣获先进集体称号。", "honor", "recipient", ["市总"]),
    ("李明当选“优秀工会工作者”。", "honor", "recipient", []),
    # a group of people read inside another text role is that role's words, not a group: the
    # honour itself (劳动模范), a contest's name (解放区第七届职工技能大赛) …
    ("市总工会推荐评选劳动模范812名。", "honor", "recipient", []),
    ("解放区第七届职工技能大赛圆满闭幕。", "contest", "participants", []),
    # … or the trigger's own words (班组服务); a group grown over the trigger keeps what follows it
    ("中心的活动及班组服务超过16万人次。", "member_service", "beneficiary", []),
    ("县总工会补助患病职工1449人次。", "subsidy", "beneficiary", ["患病职工"]),
    # … while a group standing apart from them is kept
    ("8名一线职工荣获五一劳动奖章。", "honor", "recipient", ["一线职工"]),
    ("解放区第七届职工技能大赛共有选手100多名参赛。", "contest", "participants", ["选手"]),
]


@pytest.mark.parametrize("text,etype,role,expected", ROWS, ids=[r[0][:14] for r in ROWS])
def test_role_boundary(text: str, etype: str, role: str, expected: list[str]) -> None:
    events = [e for e in unionie.extract(text).to_dict()["events"] if e["type"] == etype]
    assert events, f"no {etype} event in {text!r}"
    got = [a["text"] for a in events[0]["arguments"] if a["role"] == role]
    assert got == expected, events[0]


ORGS = [
    # 学习/宣传/贯彻 (studies, publicizes, carries out) end an ORG grown leftwards
    ("工委学习宣传贯彻上海工会十一大精神。", ["工委", "上海工会"]),
    # a union of several levels keeps the places joined before it
    ("市、县两级工会组建职工宣讲团11个。", ["市、县两级工会"]),
    ("省、市、县三级工会共慰问职工200人。", ["省、市、县三级工会"]),
    # … while two unions joined by 、 stay two names
    ("区总工会、县总工会慰问职工200人。", ["区总工会", "县总工会"]),
    # … and a name without them still grows to its place name
    ("上海市总工会召开全委会。", ["上海市总工会"]),
    # a company's legal form after a name's suffix is part of the name (集团有限公司), as is a
    # union after it (有限公司工会)
    ("武汉长江精工集团有限公司召开职代会。", ["武汉长江精工集团有限公司"]),
    ("武汉长江精工集团有限公司工会召开全委会。", ["武汉长江精工集团有限公司工会"]),
]


@pytest.mark.parametrize("text,expected", ORGS, ids=[r[0][:14] for r in ORGS])
def test_org_boundary(text: str, expected: list[str]) -> None:
    ents = unionie.extract(text).to_dict()["entities"]
    assert [e["text"] for e in ents if e["label"] == "ORG"] == expected, ents
