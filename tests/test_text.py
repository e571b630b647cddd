import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from thidua_cli.rules.text import designation, fold_key, nfc, plain_key, sort_key, vn_sorted


def test_two_tone_placements_fold_to_one_key():
    assert fold_key("Hoà") == fold_key("Hòa")
    assert fold_key("Thuỵ") == fold_key("Thụy")
    assert fold_key("Văn phòng Uỷ ban") == fold_key("VĂN PHÒNG ỦY BAN")
    # but a different tone is a different word
    assert fold_key("Hòa") != fold_key("Hóa")
    assert fold_key("Hòa") != fold_key("Hoa")


def test_nfd_and_nfc_are_the_same_name():
    name = "Ngân hàng Nông nghiệp và Phát triển nông thôn"
    nfd = unicodedata.normalize("NFD", name)
    assert nfd != name
    assert fold_key(nfd) == fold_key(name)
    assert nfc(nfd) == name


def test_nfc_unifies_dashes_and_spaces():
    assert nfc("  Cụm I  –  Các tổ chức   tín dụng ") == "Cụm I - Các tổ chức tín dụng"


def test_plain_key_drops_every_diacritic():
    assert plain_key("Đoàn Đại biểu Quốc hội") == "doan dai bieu quoc hoi"


def test_cluster_numerals():
    assert designation("Cụm I") == ("cum", 1)
    assert designation("cụm 1") == ("cum", 1)
    assert designation("Cụm thi đua số I") == ("cum", 1)
    assert designation("Cụm thi đua II - Các doanh nghiệp Trung ương") == ("cum", 2)
    assert designation("CỤM THI ĐUA SỐ IV") == ("cum", 4)
    assert designation("Khối thi đua 3") == ("khoi", 3)
    assert designation("Cụm II") != designation("Cụm I")
    assert designation("Cụm thi đua các cơ quan tham mưu tổng hợp") is None
    assert designation("Cụm IIII") is None


def test_vietnamese_alphabetical_order():
    names = ["Văn phòng UBND tỉnh", "Văn phòng Đoàn ĐBQH tỉnh", "Văn phòng HĐND tỉnh"]
    assert vn_sorted(names) == [
        "Văn phòng Đoàn ĐBQH tỉnh",
        "Văn phòng HĐND tỉnh",
        "Văn phòng UBND tỉnh",
    ]
    # Python's own order is wrong: Đ (U+0110) sorts after U.
    assert sorted(names)[-1] == "Văn phòng Đoàn ĐBQH tỉnh"


def test_letters_then_tones():
    assert vn_sorted(["ă", "â", "a", "đ", "d", "e", "ê"]) == ["a", "ă", "â", "d", "đ", "e", "ê"]
    assert vn_sorted(["ơ", "ô", "o", "ư", "u"]) == ["o", "ô", "ơ", "u", "ư"]
    # tones are secondary: none, huyền, hỏi, ngã, sắc, nặng
    assert vn_sorted(["mạ", "má", "mã", "mả", "mà", "ma"]) == ["ma", "mà", "mả", "mã", "má", "mạ"]
    # word by word, as a dictionary: a word's tone counts before the next word
    assert vn_sorted(["bá", "bà con", "ba ba", "ba"]) == ["ba", "ba ba", "bà con", "bá"]
    assert vn_sorted(["Sở Tư pháp", "Sở Nội vụ", "Sở Ngoại vụ", "Sở Tài chính"]) == [
        "Sở Ngoại vụ",
        "Sở Nội vụ",
        "Sở Tài chính",
        "Sở Tư pháp",
    ]


@given(st.text(min_size=0, max_size=30))
def test_keys_ignore_normal_form(text):
    nfd = unicodedata.normalize("NFD", text)
    nfc_text = unicodedata.normalize("NFC", text)
    assert fold_key(nfd) == fold_key(nfc_text)
    assert plain_key(nfd) == plain_key(nfc_text)
    assert sort_key(nfd)[:2] == sort_key(nfc_text)[:2]


@given(st.lists(st.text(alphabet="aăâbcdđeêghioôơuưyàảãáạằẳẵắặ ", max_size=8), max_size=12))
def test_sort_is_a_total_order(names):
    once = vn_sorted(names)
    assert vn_sorted(list(reversed(names))) == once
    assert vn_sorted(once) == once
