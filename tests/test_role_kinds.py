"""Kinds of argument decided in the role round of rulesH (docs/evaluation.md, "Role kinds of the
rulesH round"), read exactly on real extraction. Each row: a text, the event type, the trigger of
the event (its text; the first event of the type with it), the role, the exact texts expected.
Rows come in pairs where a boundary is decided: the wording the rule reads, and the wording next to
it that it leaves alone."""
from __future__ import annotations

import pytest

import unionie

ROWS = [
    # a date standing alone at the head of a sentence holds for the parts a semicolon joins …
    ("2024年，福州市职工医疗互助活动惠及员工2312人；该行工会为特困员工发放帮扶金22.5万元。",
     "subsidy", "帮扶金", "time", ["2024年"]),
    ("2017年，全州各级工会为农民工清欠工资4097.01万元；接待职工来访104起、296人次。",
     "rights_protection", "来访", "time", ["2017年"]),
    # … not past a full stop (a later sentence's point in time holds for its sentence only) …
    ("市总工会关心困难职工。2024年，福州市职工医疗互助活动惠及员工2312人。该行工会为特困员工发放帮扶金22.5万元。",
     "subsidy", "帮扶金", "time", []),
    # … nor a date told with its verb (全年召开…), which is that part's own
    ("工会关心职工生活。全年召开职代会2次；为特困员工发放帮扶金22.5万元。", "subsidy", "帮扶金", "time", []),
    # … nor into a part that names its own period in a quoted campaign (“安全生产月”, “宪法宣传周”)
    ("职工建功立业。5月，举办全县职工技能大赛，126名选手参赛；在重点项目工地开展“安全生产月”劳动竞赛，参与职工800余人。",
     "contest", "劳动竞赛", "time", []),
    ("职工建功立业。5月，举办全县职工技能大赛，126名选手参赛；在重点项目工地开展劳动竞赛，参与职工800余人。",
     "contest", "劳动竞赛", "time", ["5月"]),
    # a date the figures are counted to (截至…，) standing alone at a sentence's head holds for the
    # rest of the paragraph, past a full stop …
    ("全国总工会关心户外劳动者。统计显示，截至2024年底，全国已建成工会驿站18.61万个。各级工会新建职工书屋3.45万个。",
     "organization_building", "职工书屋", "time", ["2024年底"]),
    ("县总工会关心职工。截止10月底，全县已建成工会驿站18个。县总工会新建职工书屋35个。",
     "organization_building", "职工书屋", "time", ["10月底"]),
    # … not a point in time without it (a later sentence's date holds for that sentence only) …
    ("全国总工会关心户外劳动者。统计显示，2024年10月，全国已建成工会驿站18.61万个。各级工会新建职工书屋3.45万个。",
     "organization_building", "职工书屋", "time", []),
    # … nor a cut-off told inside its clause (截止10月底全县…), which is that clause's own
    ("县总工会关心职工。截止10月底全县已建成工会驿站18个。县总工会新建职工书屋35个。",
     "organization_building", "职工书屋", "time", []),
    # the holders after an honour's own head (奖状集体, 奖章获得者) receive it and are no part of it,
    # so each item of a list of honours keeps its own figure and honour …
    ("大会为受表彰的8个山东省富民兴鲁劳动奖状集体、55名省富民兴鲁劳动奖章获得者，颁发了奖牌。", "honor", "表彰",
     "honor", ["山东省富民兴鲁劳动奖状"]),
    ("大会为受表彰的8个山东省富民兴鲁劳动奖状集体、55名省富民兴鲁劳动奖章获得者，颁发了奖牌。", "honor", "表彰",
     "recipient", ["集体"]),
    ("大会为受表彰的8个山东省富民兴鲁劳动奖状集体、55名省富民兴鲁劳动奖章获得者，颁发了奖牌。", "honor", "表彰",
     "recipient_count", ["8个"]),
    # … while an honour named by the kind of holder (先进集体, 先进个人) is one honour
    ("市总工会表彰了8个先进集体、55名先进个人。", "honor", "表彰", "honor", ["先进集体"]),
    # a work unit named by pointing back at it (该项目部) or bare at a clause's head, followed by a
    # preposition, an adverb or a verb of acting, is the subject and organizer …
    ("2022年以来，该项目部先后组织了知识竞赛、演讲比赛等活动，参与职工300人。", "contest", "知识竞赛", "organizer",
     ["该项目部"]),
    ("项目部借“冬送温暖”活动慰问职工404人次。", "subsidy", "慰问", "organizer", ["项目部"]),
    ("集团表彰先进个人20名。", "honor", "表彰", "organizer", ["集团"]),
    # … not a unit named as a place or as the modifier of a noun
    ("组建职工宣讲团，深入施工现场、项目部开展宣讲126场。", "publicity", "宣讲", "organizer", []),
    ("全年新建项目部“职工小家”9个。", "organization_building", "新建", "organizer", []),
    ("公司劳动争议调解委员会全年受理员工投诉21起。", "rights_protection", "调解", "organizer", []),
    # the ORG right after a verb that gives an honour (评定X为…, 授予X…称号) receives it, the subject
    # gives it …
    ("年内，广东省总工会评定市总工会为2016年度广东省工会工作优秀单位。", "honor", "评定", "recipient", ["市总工会"]),
    ("年内，广东省总工会评定市总工会为2016年度广东省工会工作优秀单位。", "honor", "评定", "organizer",
     ["广东省总工会"]),
    # … not when no ORG follows the verb (the honour's own words are no receiver)
    ("广东省总工会评定2016年度工会工作优秀单位10个。", "honor", "评定", "recipient", []),
    # the agent of 被 gives in its clause and is no subject of the clauses after it: they keep the
    # paragraph's subject …
    ("集团公司工会充分发挥组织作用，2008年4月被中华全国总工会授予“模范职工之家”称号，在职工技能大赛中有3位同志拿到等级证书。",
     "contest", "技能大赛", "organizer", ["集团公司工会"]),
    # … while it gives the honour of its own clause
    ("集团公司工会充分发挥组织作用，2008年4月被中华全国总工会授予“模范职工之家”称号，在职工技能大赛中有3位同志拿到等级证书。",
     "honor", "授予", "organizer", ["中华全国总工会"]),
    # an activity named by words of its own before its trigger and head noun (…医疗互助活动) …
    ("职工重大疾病医疗互助活动累计动员职工参保51677人次。", "member_service", "医疗互助", "name",
     ["职工重大疾病医疗互助活动"]),
    ("2024年，福州市职工温暖工程医疗互助活动惠及该行员工2312人。", "member_service", "医疗互助", "name",
     ["福州市职工温暖工程医疗互助活动"]),
    # … not by a date, a group of people or nothing before it (no name: the kind of activity) …
    ("县总工会开展春节慰问活动，慰问困难职工20户。", "subsidy", "慰问", "name", []),
    ("县总工会开展困难职工帮扶活动，帮扶20户。", "subsidy", "帮扶", "name", []),
    # … nor by what a giving verb gives (…计划赠送活动: the thing given)
    ("南海代办处开展职工互助保障计划赠送活动，累计惠及3.8万人次。", "subsidy", "赠送", "name", []),
    # unions named by their kind before 建设 and its object build (各级工会建设最美驿站) …
    ("全国总工会关心户外劳动者。各级工会建设最美驿站3.45万个。", "organization_building", "驿站", "organizer",
     ["各级工会"]),
    # … while 各级工会建设 as a topic (the building of the unions) is no organizer
    ("全国总工会关心户外劳动者。加强各级工会建设，新建职工书屋12家。", "organization_building", "职工书屋",
     "organizer", ["全国总工会"]),
    # a date inside the trigger (元旦春节送温暖: a programme's name) is no time of the event: the
    # period before it is …
    ("1992年到2010年间，全区各级工会通过元旦春节送温暖活动累计筹集资金7.54亿元。", "subsidy", "元旦春节送温暖", "time",
     ["1992年到2010年"]),
    ("县总工会开展元旦春节送温暖活动，筹集资金20万元。", "subsidy", "元旦春节送温暖", "time", []),
    # … while a date of its own before the programme stays its time
    ("元旦春节期间，县总工会开展元旦春节送温暖活动，筹集资金20万元。", "subsidy", "元旦春节送温暖", "time",
     ["元旦春节期间"]),
    # a group followed by a locative (在企业内部) is where the activity is held: the group helped is
    # the one after it …
    ("集团工会在企业内部组织金秋助学活动，向考上大学的集团困难职工家庭子女发放助学金8.1万元。", "subsidy", "助学金",
     "beneficiary", ["集团困难职工家庭子女"]),
    # … and heads grown into one phrase (企业困难职工) are one group, not its first word
    ("县总工会为企业困难职工发放慰问金8.1万元。", "subsidy", "慰问金", "beneficiary", ["企业困难职工"]),
    # goods counted each by its own figure are all items, in one unit too (公斤 twice) …
    ("市总工会开展“送清凉”慰问活动，给一线快递员送去了400件凉茶、1500公斤绿豆、440公斤红糖等慰问物资。", "subsidy",
     "慰问物资", "items", ["400件", "1500公斤", "440公斤"]),
    # … while a count of people keeps one figure per unit (the second 人 is a part, not more people)
    ("县总工会慰问困难职工286人，其中农民工153人。", "subsidy", "慰问", "beneficiary_count", ["286人"]),
    # a period up to now of a length not given (几年来，…; 多年来，…) heads the activities after it …
    ("几年来，集团工会组织金秋助学活动，向困难职工家庭子女发放助学金8.1万元。", "subsidy", "助学金", "time", ["几年来"]),
    ("多年来，该矿工会帮扶困难职工20户。", "subsidy", "帮扶", "time", ["多年来"]),
    # … not one told without a comma, which says how long someone did something
    ("该矿工会多年来帮扶困难职工20户。", "subsidy", "帮扶", "time", []),
    # a founding verb with no object tells of the ORG before it: the kind built, not its founder …
    ("新建工会企业7家，小企业联合会新增3家。", "organization_building", "新增", "org_kind", ["小企业联合会"]),
    ("新建工会企业7家，小企业联合会新增3家。", "organization_building", "新增", "organizer", []),
    ("新建工会企业七家，小企业联合会新增三家。", "organization_building", "新增", "org_kind", ["小企业联合会"]),
    ("2024年村工会成立后，已发展工会会员360人。", "organization_building", "成立", "org_kind", ["村工会"]),
    ("2024年村工会成立后，已发展工会会员360人。", "organization_building", "成立", "organizer", []),
    # … while with an object after it the ORG before it founds
    ("区总工会在物流园区成立货车司机工会联合会，首批入会司机一千二百余人。", "organization_building", "成立",
     "organizer", ["区总工会"]),
    # … and a phrase that is no ORG before a verb without an object is not read (民主换届), nor a
    # word of completion after it (建成投用) as its object
    ("2016年，县总工会推动企业完成民主换届32家。", "organization_building", "换届", "org_kind", []),
    ("福州市职工政治生活馆建成投用，已迎来近万名职工接受教育。", "organization_building", "建成", "org_kind", []),
    # an ORG counted before the trigger names the kind where the trigger's words name none …
    ("截至2024年底，已有24个省级工会开展试点。", "organization_building", "试点", "org_kind", ["省级工会"]),
    ("全年推动1101家非公企业工会完成民主换届。", "organization_building", "换届", "org_kind", ["非公企业工会"]),
    # … not where they do (a place grown before a noun trigger, an object after a verb)
    ("全市24个县区工会新建职工书屋12家。", "organization_building", "职工书屋", "org_kind", ["职工书屋"]),
    # a bare honour head after a quoted title (授予“…”称号): the title is the honour …
    ("2008年4月下旬被中华全国总工会授予“模范之工之家”称号。", "honor", "授予", "honor", ["模范之工之家"]),
    # … while a head with words of its own before it is the honour phrase
    ("该局荣获河南省总工会授予的2013年度河南省“安康杯”竞赛优胜单位称号。", "honor", "荣获", "honor",
     ["竞赛优胜单位称号"]),
    # a group right before a word of donating gives: the donors are no beneficiary …
    ("矿工会给予他救助20000元，又组织机运队职工捐款1300元。", "subsidy", "捐款", "beneficiary", []),
    # … while the group the help goes to is
    ("矿工会又为机运队困难职工捐款1300元。", "subsidy", "捐款", "beneficiary", ["机运队困难职工"]),
    # employers (用人单位, 参会企业) offer the jobs: no group helped, read or counted …
    ("当天的招聘会上，共有1.1万余人与用人单位达成意向性协议。", "employment_service", "达成意向", "beneficiary", []),
    ("市总工会组织用人单位参会，举办专场招聘会12场。", "employment_service", "专场招聘会", "beneficiary", []),
    # … while the job seekers are
    ("市总工会为农民工举办专场招聘会12场。", "employment_service", "专场招聘会", "beneficiary", ["农民工"]),
    # a receiver is read in its own sentence: the subject of an earlier sentence receives nothing …
    ("市总工会推进工会工作创新。构建职工维稳体系、建立社会化工会工作者队伍这2项工作，分别获工会工作创新优秀奖和先进奖。",
     "honor", "获", "recipient", []),
    # … while the subject of the sentence does, in a later clause too
    ("市总工会推进工会工作创新，荣获全省工会工作先进单位称号。", "honor", "荣获", "recipient", ["市总工会"]),
    # an ORG counted by a figure after a founding verb names a kind, not one union founded …
    ("全年新建非公企业工会632家。", "organization_building", "新建", "name", []),
    ("全年新建非公企业工会632家。", "organization_building", "新建", "org_kind", ["非公企业工会"]),
    # … while one named alone is the union founded
    ("2017年6月，区总工会在物流园区成立货车司机工会联合会。", "organization_building", "成立", "name",
     ["货车司机工会联合会"]),
    # a territory as the subject (全国已建成…, 各地建成…) tells its figures: the organizer of an
    # earlier sentence is not carried into it …
    ("全国总工会关心户外劳动者。统计显示，截至2024年底，全国已建成工会驿站18.61万个。",
     "organization_building", "工会驿站", "organizer", []),
    # … while it is into a clause with a subject of its own kind, and within its own sentence
    ("全国总工会关心户外劳动者。截至2024年底，已建成工会驿站18.61万个。",
     "organization_building", "工会驿站", "organizer", ["全国总工会"]),
    ("2016年河北工会持续加大普惠化工作的推进力度，截至9月底，全省已发放工会会员卡129.3万张。",
     "member_service", "工会会员卡", "organizer", ["河北工会"]),
    # an ORG named as the host (主办方为…) organizes the activities after it in its paragraph …
    ("本次比赛的主办方为解放区总工会，全区共分设六个赛区。大赛开设8个工种，共有100多名选手报名参赛。",
     "contest", "大赛", "organizer", ["解放区总工会"]),
    # … not an ORG named after other words (邀请…)
    ("本次比赛邀请解放区总工会派员观摩，全区共分设六个赛区。大赛开设8个工种，共有100多名选手报名参赛。",
     "contest", "大赛", "organizer", []),
    # a date after 由 (from) heads its clause like one after 自 or 从 …
    ("过去一年，中心举办活动120场。由2022年9月至2023年8月，中心的班组服务超过163737人次。",
     "member_service", "班组服务", "time", ["2022年9月至2023年8月"]),
    # goods weighed (公斤, 千克) are items like goods counted by the piece
    ("市总工会开展“送清凉”慰问活动，给一线快递员送去了400件凉茶、1500公斤绿豆等慰问物资。", "subsidy", "慰问物资",
     "items", ["400件", "1500公斤"]),
    # one-character places joined by a list mark are one group (省、市劳模), not two list items …
    ("另筹资18.89万元，慰问省、市劳模59人次。", "subsidy", "慰问", "beneficiary", ["省、市劳模"]),
    ("慰问市、县两级劳模59人次。", "subsidy", "慰问", "beneficiary", ["市、县两级劳模"]),
    # … while groups named apart stay apart: the one of the trigger's item is read
    ("慰问困难职工、劳模59人次。", "subsidy", "慰问", "beneficiary", ["困难职工"]),
    # people named by what they lead, learn or do (带头人, 学员, 工友, 参赛者, 装卸工) are groups
    ("区总工会培训创业带头人150多人。", "training", "培训", "trainees", ["创业带头人"]),
    ("工会为户外工友送清凉，派发防暑物资包5600份。", "subsidy", "送清凉", "beneficiary", ["户外工友"]),
    # gifts given (慰问品, 慰问包, 礼包 after a giving verb) are the items, each one …
    ("院工会为医务人员送去饱含深情的慰问包和慰问食品，累计慰问1600人次。", "subsidy", "慰问", "items",
     ["慰问包", "慰问食品"]),
    ("县总工会为困难群众送上慰问金和慰问品。", "subsidy", "慰问金", "items", ["慰问品"]),
    # … not gifts bought (采购慰问品), nor supplies named generically (防暑降温物品: counted by figures
    # where the text counts them), …
    ("县总工会筹集资金、采购慰问品，前往慰问抢修工人200人。", "subsidy", "慰问", "items", []),
    ("县总工会为户外职工送去防暑降温物品，惠及职工2600余人。", "subsidy", "防暑降温物品", "items", []),
    # … and where figures count the goods, the figures are the items
    ("市总工会开展“送清凉”慰问活动，给一线快递员送去了400件凉茶、1500公斤绿豆等慰问包。", "subsidy", "慰问包",
     "items", ["400件", "1500公斤"]),
]


def _event(text: str, etype: str, trigger: str) -> dict:
    events = [e for e in unionie.extract(text).to_dict()["events"]
              if e["type"] == etype and e["trigger"]["text"] == trigger]
    assert events, f"no {etype} event of {trigger!r} in {text!r}"
    return events[0]


@pytest.mark.parametrize("text,etype,trigger,role,expected", ROWS, ids=[f"{r[3]}:{r[0][:14]}" for r in ROWS])
def test_role_kind(text: str, etype: str, trigger: str, role: str, expected: list[str]) -> None:
    event = _event(text, etype, trigger)
    got = [a["text"] for a in event["arguments"] if a["role"] == role]
    assert got == expected, event
