"""Entities (ORG, GPE, PERSON, HONOR, WORK) and document structure, as tables."""
from __future__ import annotations

from pathlib import Path

import pytest

from unionie.engine.entities import find_entities
from unionie.engine.grammar import grammar
from unionie.engine.state import DocState
from unionie.engine.segment import list_segments, segment
from unionie.normalize.text import fold

ENTITIES = [
    ("去年，新区总工会围绕发展大局", ("ORG", "新区总工会")),
    ("在全区各级工会挑选了40名职工代表参加市总工会线上集体协商培训", ("ORG", "市总工会")),
    ("2018年7月12日，在紫龙药业举办集体合同首签仪式", ("ORG", "紫龙药业")),
    ("成立区卫生计生工联会、孟河现代农业产业园工联会", ("ORG", "区卫生计生工联会")),
    ("区总机关还开展“阳光扶贫”工作", ("ORG", "区总机关")),
    ("新桥镇总工会创建省模范职工之家", ("ORG", "新桥镇总工会")),
    ("苏州昱科电子有限公司工会2023年度工作报告", ("ORG", "苏州昱科电子有限公司工会")),
    ("市總工會舉辦職工技能培訓班", ("ORG", "市總工會")),
    ("春节前夕，院工会主席刘香玉、副主席仇淑华把慰问金送到劳模手中", ("ORG", "院工会")),
    ("工聯會今日(16日)舉辦新春聯歡會", ("ORG", "工聯會")),
    ("工委召开全委会和民主管理工作会议", ("ORG", "工委")),
    ("组织工会干部赴延安、古田、遵义重温党的历史", ("GPE", "延安")),
    ("奔牛镇专项补贴申报率居全市前列", ("GPE", "奔牛镇")),
    ("本报通讯员 王颖 本报记者 朱浩", ("PERSON", "王颖")),
    ("本报通讯员 王颖 本报记者 朱浩", ("PERSON", "朱浩")),
    ("区总工会主席张华表示，今年将继续加大帮扶力度", ("PERSON", "张华")),
    ("全区推选各级劳动模范27名，五一劳动奖章78名", ("HONOR", "五一劳动奖章")),
    ("9个班组获北京市工人先锋号", ("HONOR", "工人先锋号")),
    ("评选“最美职工”10名", ("HONOR", "最美职工")),
    ("推进《关于提高技术工人待遇的意见》落地生根", ("WORK", "关于提高技术工人待遇的意见")),
    ("开展“尊法守法·携手筑梦”主题普法活动", ("WORK", "尊法守法·携手筑梦")),
]

NOT_ENTITIES = [
    ("新北工会把工会工作放在大局中谋划部署", ("ORG", "新北工会把工会")),
    ("加强工会干部队伍建设", ("ORG", "工会")),
    ("举办基层工会主席培训班3期", ("ORG", "基层工会")),
    ("连同工聯會會長吳秋北出席典禮", ("ORG", "工聯會")),
    ("记者获悉，截至今年10月底", ("PERSON", "获悉")),
    ("全市职工广泛参与", ("GPE", "全市")),
]


@pytest.mark.parametrize("text,expected", ENTITIES, ids=[f"{e[0]}:{e[1]}" for _, e in ENTITIES])
def test_entity_is_found(text: str, expected: tuple[str, str]) -> None:
    found = [(e.label, e.text) for e in find_entities(fold(text), text)]
    assert expected in found, found


@pytest.mark.parametrize("text,unexpected", NOT_ENTITIES, ids=[f"{e[0]}:{e[1]}" for _, e in NOT_ENTITIES])
def test_not_an_entity(text: str, unexpected: tuple[str, str]) -> None:
    found = [(e.label, e.text) for e in find_entities(fold(text), text)]
    assert unexpected not in found


def _clauses(text: str) -> list[str]:
    return [text[c.start:c.end] for c in segment(text)]


def test_line_break_inside_a_sentence_is_soft() -> None:
    text = "为充分发挥劳动竞赛的作用，助力新区经济\n\n高质量发展，去年，新区总工会开展竞赛。"
    cs = segment(text)
    assert len({c.paragraph for c in cs}) == 1
    assert "助力新区经济\n\n高质量发展" in _clauses(text)


def test_heading_then_paragraph_are_two_paragraphs() -> None:
    text = "扩面提质发挥“主力军”作用\n\n新区总工会开展劳动竞赛，覆盖2000余人次。"
    cs = segment(text)
    assert cs[0].heading and not cs[-1].heading
    assert len({c.paragraph for c in cs}) == 2


def test_menu_line_is_furniture() -> None:
    text = "首页 | 工会动态 | 职工之家 | 联系我们\n市总工会举办培训班3期。"
    assert segment(text)[0].heading


def test_quotes_keep_their_commas_and_thousands_separators_are_not_breaks() -> None:
    text = "开展“建功‘十四五’、奋进新征程”劳动竞赛，提供岗位3,650个，参赛1,080人次"
    assert _clauses(text) == ["开展“建功‘十四五’、奋进新征程”劳动竞赛", "提供岗位3,650个", "参赛1,080人次"]


LIST_ITEMS = [
    ("组织职工技能大赛125场、技能培训216余次", ["组织职工技能大赛125场", "技能培训216余次"]),
    ("慰问12名因公感染非典职工和4名困难职工", ["慰问12名因公感染非典职工", "4名困难职工"]),
    # 及 right after a figure, before an item with its own figure: two items
    ("舉辦大型招聘會4場及企業專場招聘會21場", ["舉辦大型招聘會4場", "企業專場招聘會21場"]),
    ("培训职工1200人次以及农民工300人", ["培训职工1200人次", "农民工300人"]),
    ("舉辦大型招聘會4 場及企業專場招聘會21 場", ["舉辦大型招聘會4 場", "企業專場招聘會21 場"]),  # a pasted space
    # …but not before words without a figure, nor 及以上
    ("举办专场招聘会12场及线上招聘活动", ["举办专场招聘会12场及线上招聘活动"]),
    ("连续工作满10年及以上的职工", ["连续工作满10年及以上的职工"]),
]


@pytest.mark.parametrize(("text", "items"), LIST_ITEMS)
def test_list_items(text: str, items: list) -> None:
    assert [text[a:b] for a, b in list_segments(text, 0, len(text))] == items


def test_list_items_of_a_clause_are_split_once() -> None:
    """The event stages read a clause's list items from the document state, split once per
    clause (``DocState.list_segments``): the same items as ``list_segments``, every clause of
    real reports."""
    paths = sorted((Path(__file__).parent.parent / "corpus" / "real" / "reports").glob("*.txt"))[:8]
    assert paths
    n = 0
    for path in paths:
        folded = fold(path.read_text(encoding="utf-8"))
        clauses = segment(folded)
        st = DocState(folded, folded, [], [], [], clauses, grammar())
        for c in clauses:
            items = st.list_segments(c.start, c.end)
            assert items == tuple(list_segments(folded, c.start, c.end)), (path.name, c)
            assert st.list_segments(c.start, c.end) is items  # split once
            n += len(items) > 1
    assert n > 10  # clauses with a list in them were checked
