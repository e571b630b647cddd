import unicodedata

import pytest

from thidua_cli.errors import Ambiguous, NotFound
from thidua_cli.rules.matching import Candidate, match_one

UNITS = [
    Candidate(
        1,
        "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn",
        ("Agribank Lạng Sơn",),
    ),
    Candidate(2, "Ngân hàng Phát triển tỉnh Lạng Sơn", ("VDB Lạng Sơn",)),
    Candidate(3, "Sở Tài chính"),
    Candidate(4, "Sở Tư pháp"),
    Candidate(5, "Văn phòng Hoà Bình"),
]
CLUSTERS = [
    Candidate(10, "Cụm I - Các tổ chức tín dụng", ("Cụm I",), active=True),
    Candidate(11, "Cụm thi đua II - Các doanh nghiệp Trung ương", ("Cụm II",), active=True),
    Candidate(12, "Cụm thi đua số I - Các doanh nghiệp Trung ương đóng trên địa bàn", ("Cụm I",)),
]


def test_nfd_input_matches_an_nfc_name():
    query = unicodedata.normalize("NFD", "Sở Tài chính")
    assert match_one(query, UNITS, what="đơn vị").id == 3


def test_case_tone_placement_and_diacritics_are_forgiven():
    assert match_one("SỞ TÀI CHÍNH", UNITS, what="đơn vị").id == 3
    assert match_one("Văn phòng Hòa Bình", UNITS, what="đơn vị").id == 5
    assert match_one("so tai chinh", UNITS, what="đơn vị").id == 3
    assert match_one("agribank lang son", UNITS, what="đơn vị").id == 1


def test_first_words_of_a_name_are_enough_when_only_one_fits():
    assert match_one("Ngân hàng Nông nghiệp", UNITS, what="đơn vị").id == 1


def test_words_in_order_anywhere_in_a_name():
    assert match_one("Nông nghiệp và Phát triển", UNITS, what="đơn vị").id == 1
    with pytest.raises(NotFound):
        match_one("Phát triển và Nông nghiệp", UNITS, what="đơn vị")


def test_several_candidates_are_listed():
    with pytest.raises(Ambiguous) as error:
        match_one("Ngân hàng", UNITS, what="đơn vị")
    assert error.value.details == [
        "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn",
        "Ngân hàng Phát triển tỉnh Lạng Sơn",
    ]


def test_nothing_found_suggests_the_nearest():
    with pytest.raises(NotFound) as error:
        match_one("Sở Tài chánh", UNITS, what="đơn vị")
    assert "Sở Tài chính" in error.value.message


def test_cum_i_never_matches_cum_ii():
    assert match_one("Cụm I", CLUSTERS, what="cụm").id == 10
    assert match_one("Cụm II", CLUSTERS, what="cụm").id == 11
    assert match_one("cụm 2", CLUSTERS, what="cụm").id == 11
    assert match_one("Cụm thi đua số II", CLUSTERS, what="cụm").id == 11
    with pytest.raises(NotFound):
        match_one("Cụm III", CLUSTERS, what="cụm")


def test_a_reused_number_is_ambiguous_without_a_year():
    inactive = [Candidate(c.id, c.name, c.names) for c in CLUSTERS]
    with pytest.raises(Ambiguous) as error:
        match_one("Cụm I", inactive, what="cụm")
    assert len(error.value.details) == 2


def test_a_whole_name_beats_the_numeral_it_starts_with():
    candidates = [
        Candidate(1, "Cụm thi đua số 1 - Tỉnh 01", ("Cụm 1 Tỉnh 01",)),
        Candidate(2, "Cụm thi đua số 1 - Tỉnh 02", ("Cụm 1 Tỉnh 02",)),
    ]
    assert match_one("Cụm thi đua số 1 - Tỉnh 02", candidates, what="cụm").id == 2
    assert match_one("cụm thi đua số 1 - tỉnh 01", candidates, what="cụm").id == 1
