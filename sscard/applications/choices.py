"""Fixed lists of the application form: ethnic groups, nationalities, occupations, relationships."""

from django.db import models
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

# The 56 ethnic groups with their GB/T 3304 codes: (code, official Chinese name, English name).
ETHNIC_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("01", "汉族", N_("Han")), ("02", "蒙古族", N_("Mongol")), ("03", "回族", N_("Hui")),
    ("04", "藏族", N_("Tibetan")), ("05", "维吾尔族", N_("Uyghur")), ("06", "苗族", N_("Miao")),
    ("07", "彝族", N_("Yi")), ("08", "壮族", N_("Zhuang")), ("09", "布依族", N_("Bouyei")),
    ("10", "朝鲜族", N_("Korean")), ("11", "满族", N_("Manchu")), ("12", "侗族", N_("Dong")),
    ("13", "瑶族", N_("Yao")), ("14", "白族", N_("Bai")), ("15", "土家族", N_("Tujia")),
    ("16", "哈尼族", N_("Hani")), ("17", "哈萨克族", N_("Kazakh")), ("18", "傣族", N_("Dai")),
    ("19", "黎族", N_("Li")), ("20", "傈僳族", N_("Lisu")), ("21", "佤族", N_("Va")),
    ("22", "畲族", N_("She")), ("23", "高山族", N_("Gaoshan")), ("24", "拉祜族", N_("Lahu")),
    ("25", "水族", N_("Sui")), ("26", "东乡族", N_("Dongxiang")), ("27", "纳西族", N_("Nakhi")),
    ("28", "景颇族", N_("Jingpo")), ("29", "柯尔克孜族", N_("Kyrgyz")), ("30", "土族", N_("Tu")),
    ("31", "达斡尔族", N_("Daur")), ("32", "仫佬族", N_("Mulao")), ("33", "羌族", N_("Qiang")),
    ("34", "布朗族", N_("Blang")), ("35", "撒拉族", N_("Salar")), ("36", "毛南族", N_("Maonan")),
    ("37", "仡佬族", N_("Gelao")), ("38", "锡伯族", N_("Xibe")), ("39", "阿昌族", N_("Achang")),
    ("40", "普米族", N_("Pumi")), ("41", "塔吉克族", N_("Tajik")), ("42", "怒族", N_("Nu")),
    ("43", "乌孜别克族", N_("Uzbek")), ("44", "俄罗斯族", N_("Russian")), ("45", "鄂温克族", N_("Evenki")),
    ("46", "德昂族", N_("De'ang")), ("47", "保安族", N_("Bonan")), ("48", "裕固族", N_("Yugur")),
    ("49", "京族", N_("Gin")), ("50", "塔塔尔族", N_("Tatar")), ("51", "独龙族", N_("Derung")),
    ("52", "鄂伦春族", N_("Oroqen")), ("53", "赫哲族", N_("Hezhen")), ("54", "门巴族", N_("Monpa")),
    ("55", "珞巴族", N_("Lhoba")), ("56", "基诺族", N_("Jino")),
)
ETHNIC_CODES = {code for code, _zh, _en in ETHNIC_GROUPS}
assert len(ETHNIC_GROUPS) == 56 == len(ETHNIC_CODES)


def ethnic_name(code: str) -> str:
    """The group's name in the active language; the official Chinese name is always shown too."""
    for c, zh, en in ETHNIC_GROUPS:
        if c == code:
            if (get_language() or "").startswith("zh"):
                return zh
            return f"{_(en)} ({zh})"
    return ""


def ethnic_choices() -> list[tuple[str, str]]:
    return [(code, ethnic_name(code)) for code, _zh, _en in ETHNIC_GROUPS]


class Nationality(models.TextChoices):
    CHN = "CHN", gettext_lazy("China")
    USA = "USA", gettext_lazy("United States")
    GBR = "GBR", gettext_lazy("United Kingdom")
    CAN = "CAN", gettext_lazy("Canada")
    AUS = "AUS", gettext_lazy("Australia")
    JPN = "JPN", gettext_lazy("Japan")
    KOR = "KOR", gettext_lazy("Republic of Korea")
    SGP = "SGP", gettext_lazy("Singapore")
    MYS = "MYS", gettext_lazy("Malaysia")
    THA = "THA", gettext_lazy("Thailand")
    VNM = "VNM", gettext_lazy("Viet Nam")
    RUS = "RUS", gettext_lazy("Russian Federation")
    DEU = "DEU", gettext_lazy("Germany")
    FRA = "FRA", gettext_lazy("France")
    ITA = "ITA", gettext_lazy("Italy")
    ESP = "ESP", gettext_lazy("Spain")
    BRA = "BRA", gettext_lazy("Brazil")
    MEX = "MEX", gettext_lazy("Mexico")
    ARG = "ARG", gettext_lazy("Argentina")
    IND = "IND", gettext_lazy("India")
    PAK = "PAK", gettext_lazy("Pakistan")
    NGA = "NGA", gettext_lazy("Nigeria")
    EGY = "EGY", gettext_lazy("Egypt")
    ZAF = "ZAF", gettext_lazy("South Africa")
    OTHER = "OTH", gettext_lazy("Other")


class Occupation(models.TextChoices):
    """The major groups of the national occupation classification (GB/T 6565), plus common statuses."""

    MANAGER = "1", gettext_lazy("Head of an organisation or enterprise")
    PROFESSIONAL = "2", gettext_lazy("Professional or technical staff")
    CLERK = "3", gettext_lazy("Office staff")
    SERVICE = "4", gettext_lazy("Service and sales staff")
    AGRICULTURE = "5", gettext_lazy("Agriculture, forestry, animal husbandry or fishery")
    PRODUCTION = "6", gettext_lazy("Production or manufacturing staff")
    MILITARY = "7", gettext_lazy("Military")
    OTHER_WORK = "8", gettext_lazy("Other occupation")
    STUDENT = "S", gettext_lazy("Student")
    CHILD = "C", gettext_lazy("Pre-school child")
    RETIRED = "R", gettext_lazy("Retired")
    NOT_WORKING = "N", gettext_lazy("Not in work")


class Relationship(models.TextChoices):
    PARENT = "parent", gettext_lazy("Parent")
    GRANDPARENT = "grandparent", gettext_lazy("Grandparent")
    SIBLING = "sibling", gettext_lazy("Adult brother or sister")
    GUARDIAN = "guardian", gettext_lazy("Other legal guardian")


class Delivery(models.TextChoices):
    PICKUP = "pickup", gettext_lazy("Pick up at a service outlet")
    POST = "post", gettext_lazy("Send by post")
