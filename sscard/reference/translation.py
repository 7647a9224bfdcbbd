"""Reference data that people read is translated (django-modeltranslation): one column per language
(`name_zh_hans`, `name_es`, `name_en`, ...) beside the original column, which keeps the default language
(Simplified Chinese). Reading `outlet.address` gives the active language's value, falling back to English,
then Chinese (MODELTRANSLATION_FALLBACK_LANGUAGES); the admin shows one field per language."""

from modeltranslation.translator import TranslationOptions, register

from .models import ConsultationCategory, DesignatedInstitution, FaqEntry, Manufacturer, Outlet, PartnerBank


@register(PartnerBank)
class PartnerBankTranslation(TranslationOptions):
    fields = ("name",)


@register(Manufacturer)
class ManufacturerTranslation(TranslationOptions):
    fields = ("name",)  # shown on the production pages


@register(Outlet)
class OutletTranslation(TranslationOptions):
    fields = ("name", "address", "hours")


@register(DesignatedInstitution)
class DesignatedInstitutionTranslation(TranslationOptions):
    fields = ("name",)  # shown to the person in their settlements


@register(ConsultationCategory)
class ConsultationCategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(FaqEntry)
class FaqEntryTranslation(TranslationOptions):
    fields = ("question", "answer")
