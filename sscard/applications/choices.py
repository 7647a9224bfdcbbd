"""Fixed lists of the application form: ethnic groups, nationalities, occupations, relationships."""

from django.db import models
from django.utils.translation import get_language, gettext_lazy, gettext_noop
from django.utils.translation import gettext as _

# The 56 ethnic groups with their GB/T 3304 codes: (code, official Chinese name, English name).
ETHNIC_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("01", "汉族", gettext_noop("Han")), ("02", "蒙古族", gettext_noop("Mongol")), ("03", "回族", gettext_noop("Hui")),
    ("04", "藏族", gettext_noop("Tibetan")), ("05", "维吾尔族", gettext_noop("Uyghur")), ("06", "苗族", gettext_noop("Miao")),
    ("07", "彝族", gettext_noop("Yi")), ("08", "壮族", gettext_noop("Zhuang")), ("09", "布依族", gettext_noop("Bouyei")),
    ("10", "朝鲜族", gettext_noop("Korean")), ("11", "满族", gettext_noop("Manchu")), ("12", "侗族", gettext_noop("Dong")),
    ("13", "瑶族", gettext_noop("Yao")), ("14", "白族", gettext_noop("Bai")), ("15", "土家族", gettext_noop("Tujia")),
    ("16", "哈尼族", gettext_noop("Hani")), ("17", "哈萨克族", gettext_noop("Kazakh")), ("18", "傣族", gettext_noop("Dai")),
    ("19", "黎族", gettext_noop("Li")), ("20", "傈僳族", gettext_noop("Lisu")), ("21", "佤族", gettext_noop("Va")),
    ("22", "畲族", gettext_noop("She")), ("23", "高山族", gettext_noop("Gaoshan")), ("24", "拉祜族", gettext_noop("Lahu")),
    ("25", "水族", gettext_noop("Sui")), ("26", "东乡族", gettext_noop("Dongxiang")), ("27", "纳西族", gettext_noop("Nakhi")),
    ("28", "景颇族", gettext_noop("Jingpo")), ("29", "柯尔克孜族", gettext_noop("Kyrgyz")), ("30", "土族", gettext_noop("Tu")),
    ("31", "达斡尔族", gettext_noop("Daur")), ("32", "仫佬族", gettext_noop("Mulao")), ("33", "羌族", gettext_noop("Qiang")),
    ("34", "布朗族", gettext_noop("Blang")), ("35", "撒拉族", gettext_noop("Salar")), ("36", "毛南族", gettext_noop("Maonan")),
    ("37", "仡佬族", gettext_noop("Gelao")), ("38", "锡伯族", gettext_noop("Xibe")), ("39", "阿昌族", gettext_noop("Achang")),
    ("40", "普米族", gettext_noop("Pumi")), ("41", "塔吉克族", gettext_noop("Tajik")), ("42", "怒族", gettext_noop("Nu")),
    ("43", "乌孜别克族", gettext_noop("Uzbek")), ("44", "俄罗斯族", gettext_noop("Russian")), ("45", "鄂温克族", gettext_noop("Evenki")),
    ("46", "德昂族", gettext_noop("De'ang")), ("47", "保安族", gettext_noop("Bonan")), ("48", "裕固族", gettext_noop("Yugur")),
    ("49", "京族", gettext_noop("Gin")), ("50", "塔塔尔族", gettext_noop("Tatar")), ("51", "独龙族", gettext_noop("Derung")),
    ("52", "鄂伦春族", gettext_noop("Oroqen")), ("53", "赫哲族", gettext_noop("Hezhen")), ("54", "门巴族", gettext_noop("Monpa")),
    ("55", "珞巴族", gettext_noop("Lhoba")), ("56", "基诺族", gettext_noop("Jino")),
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


class Kind(models.TextChoices):
    """What an application is for: a person's first card, the replacement of a lost or damaged card, or the
    renewal of a card about to expire (the link to the old card belongs to `sscard.cards`)."""

    FIRST = "first", gettext_lazy("First card")
    REPLACEMENT = "replacement", gettext_lazy("Replacement card")
    RENEWAL = "renewal", gettext_lazy("Renewal")


class ReplacementReason(models.TextChoices):
    LOST = "lost", gettext_lazy("The card is lost")
    DAMAGED = "damaged", gettext_lazy("The card is damaged")
