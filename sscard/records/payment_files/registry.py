"""The registry of bank payment file formats (`RecordsConfig.ready` imports the plugin modules)."""

from sscard.core.registry import Registry

from .base import PaymentFileFormat

register: Registry[PaymentFileFormat] = Registry("bank payment file format", base=PaymentFileFormat,
                                                 default="csv")
