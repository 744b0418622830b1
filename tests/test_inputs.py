"""Input checks of the Python API (issue 7): wrong types are named, blank text is empty,
bad dates and invalid Unicode give a clear error, huge numerals are not quantities."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import unionie
from unionie.io.readers import decode_bytes, iter_paths, read_text

SUBSIDY = "春节期间，新区总工会投入资金8.9万元，慰问困难职工家庭95户。"


@pytest.mark.parametrize("value, name", [
    (SUBSIDY.encode("utf-8"), "bytes"), (bytearray(b"x"), "bytearray"), (None, "NoneType"),
    (123, "int"), (1.5, "float"), (["a"], "list"), (Path("x.txt"), "PosixPath"),
])
def test_extract_takes_str_only(value, name):
    with pytest.raises(TypeError, match=rf"^unionie\.extract expects str, got {name}\b"):
        unionie.extract(value)
    with pytest.raises(TypeError, match=rf"^unionie\.explain expects str, got {name}\b"):
        unionie.explain(value)


def test_bytes_get_a_hint():
    with pytest.raises(TypeError, match="decode_bytes"):
        unionie.extract(b"\xe5\xb7\xa5\xe4\xbc\x9a")
    assert unionie.extract(decode_bytes(SUBSIDY.encode("gb18030"))).events


@pytest.mark.parametrize("text", ["", " ", "\n", "\r\n\r\n", "\t\u3000\u00a0 ", "\x00\x00", "\ufeff"])
def test_empty_and_blank_text_give_an_empty_document(text):
    doc = unionie.extract(text, doc_id="d")
    assert doc.text == text and doc.doc_id == "d" and doc.published is None
    assert not (doc.quantities or doc.dates or doc.entities or doc.events)
    assert doc.to_dict() == {"doc_id": "d", "published": None, "events": [], "quantities": [],
                             "entities": [], "dates": []}


@pytest.mark.parametrize("published", ["2019-13-01", "2019-02-30", "5 May 2019", "yesterday", "", "2019/05/05"])
def test_published_of_a_wrong_format(published):
    with pytest.raises(unionie.InputError, match="ISO date such as 2019-05-05") as e:
        unionie.extract(SUBSIDY, published=published)
    assert e.value.code == "U102" and repr(published) in str(e.value)
    assert isinstance(e.value, ValueError)


@pytest.mark.parametrize("published, name", [(20190505, "int"), (2019.5, "float"), (["2019-05-05"], "list"),
                                             (b"2019-05-05", "bytes")])
def test_published_of_a_wrong_type(published, name):
    with pytest.raises(TypeError, match=rf"published must be a str, datetime.date or None, got {name}"):
        unionie.extract(SUBSIDY, published=published)
    with pytest.raises(TypeError, match="published must be"):
        list(unionie.extract_many([SUBSIDY], published=published))


def test_published_forms_that_are_accepted():
    for pub in ("2019-05-05", " 2019-05-05 ", dt.date(2019, 5, 5), dt.datetime(2019, 5, 5, 13, 30)):
        assert unionie.extract(SUBSIDY, published=pub).published == "2019-05-05"


def test_doc_id_must_be_str():
    with pytest.raises(TypeError, match="doc_id must be a str or None, got int"):
        unionie.extract(SUBSIDY, doc_id=7)


def test_extract_many_rejects_bytes_in_pairs():
    with pytest.raises(TypeError, match="must be str, got bytes"):
        list(unionie.extract_many([("a", SUBSIDY.encode("utf-8"))]))


def test_lone_surrogates_are_named_with_their_offset():
    text = SUBSIDY.encode("utf-8")[:12].decode("utf-8", errors="surrogateescape") + "\udcff工会"
    with pytest.raises(unionie.InputError, match=r"lone surrogate U\+DCFF at offset 4") as e:
        unionie.extract(text)
    assert e.value.code == "U102"


@pytest.mark.parametrize("numeral", ["1" * 19, "1" * 300, "9" * 5000, "1" + "亿" * 10, "1" * 25 + ".5"])
def test_numerals_past_any_amount_are_not_quantities(numeral):
    text = f"投入资金{numeral}万元，慰问困难职工家庭95户。"
    doc = unionie.extract(text)
    assert [q.text for q in doc.quantities] == ["95户"]
    json.dumps(doc.to_dict())


def test_the_largest_amounts_still_are():
    doc = unionie.extract("全年投入资金1.5万亿元，覆盖职工99999999999999999人。")
    assert [q.value for q in doc.quantities] == [1_500_000_000_000, 99_999_999_999_999_999]
    assert json.loads(json.dumps(doc.to_dict()))["quantities"][1]["value"] == 99_999_999_999_999_999


def test_parse_quantity_errors():
    with pytest.raises(unionie.QuantityParseError, match=r"\[U101\] no quantity in '职工'"):
        unionie.parse_quantity("职工")
    with pytest.raises(unionie.QuantityParseError, match="2 quantities"):
        unionie.parse_quantity("3人5户")
    with pytest.raises(TypeError, match="expects str, got bytes"):
        unionie.parse_quantity(b"5")


def test_reader_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes("工会职工".encode("utf-8") + b"\xff\xfe" + "慰问困难职工".encode("utf-8"))
    with pytest.raises(unionie.DecodeError) as e:
        read_text(bad)
    assert (e.value.path, e.value.offset, e.value.code) == (str(bad), 12, "U301")
    assert str(e.value) == f"[U301] cannot decode {bad} as utf-8 at byte 12: invalid start byte"
    with pytest.raises(unionie.InputError, match="unknown encoding 'nope'"):
        read_text(bad, encoding="nope")
    with pytest.raises(unionie.InputError, match="cannot read .*Is a directory"):
        read_text(tmp_path)
    with pytest.raises(unionie.InputError, match="no such file or directory"):
        list(iter_paths([tmp_path / "missing"]))


def test_folders_list_broken_symlinks_but_not_folders_named_like_files(tmp_path):
    (tmp_path / "a.txt").write_text(SUBSIDY, encoding="utf-8")
    (tmp_path / "x.txt").mkdir()
    (tmp_path / "x.txt" / "b.txt").write_text(SUBSIDY, encoding="utf-8")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_paths(tmp_path)]
    assert found == ["a.txt", "gone.txt", "x.txt/b.txt"]
    with pytest.raises(unionie.InputError, match="cannot read .*gone.txt"):
        read_text(tmp_path / "gone.txt")
