"""Region names in the reader's language: the Chinese name, the hand-kept English one, and Spanish derived from
it (the place name in pinyin, the kind of division translated). Expected names written by hand."""

import pytest

from sscard.domain.regions import localized_name

NAMES = [
    # code, zh-Hans, en, es
    ("420103", "江汉区", "Jianghan District", "Distrito de Jianghan"),
    ("420528", "长阳土家族自治县", "Changyang Tujia Autonomous County", "Condado autónomo tujia de Changyang"),
    ("422800", "恩施土家族苗族自治州", "Enshi Tujia and Miao Autonomous Prefecture",
     "Prefectura autónoma tujia y miao de Enshi"),
    ("429021", "神农架林区", "Shennongjia Forestry District", "Distrito forestal de Shennongjia"),
    ("420100", "武汉市", "Wuhan", "Wuhan"),
    ("420000", "湖北省", "Hubei", "Hubei"),
    ("150000", "内蒙古自治区", "Inner Mongolia", "Mongolia Interior"),
]


@pytest.mark.parametrize("code, chinese, english, spanish", NAMES)
def test_a_region_is_named_in_each_language(code, chinese, english, spanish):
    assert localized_name(code, "zh-hans") == chinese
    assert localized_name(code, "en") == english
    assert localized_name(code, "es") == spanish


def test_a_region_without_a_translation_has_only_its_chinese_name():
    # 110101 东城区 (Beijing) has no hand-kept English name.
    assert localized_name("110101", "zh-hans") == "东城区"
    assert localized_name("110101", "en") is None
    assert localized_name("110101", "es") is None
    assert localized_name("999999", "es") is None
