"""Structured logging: one JSON object per line, personal data masked, the request id on every line.

Selected with `SSCARD_LOG_FORMAT=json` (see settings.LOGGING). This module must not import Django
settings: it is loaded while the logging configuration is being built.
"""

import contextvars
import json
import logging
from datetime import UTC, datetime

from sscard.domain.masking import mask_personal_data  # the one rule, also used by the audit log

# The request being served on this thread / task (set by sscard.ops.middleware).
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("sscard_request_id", default="")
# The Celery task being run: (task name, task id), set by sscard.ops.metrics' task signals.
task_var: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar("sscard_task", default=None)


class MaskPersonalDataFilter(logging.Filter):
    """Mask ID and phone numbers in the message (arguments included) and in the traceback text.

    Attached to the handlers, so records propagated from any logger pass through it.
    """

    _traceback_formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not lose the record
            message = str(record.msg)
        record.msg = mask_personal_data(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._traceback_formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        for name in ("path",):
            value = getattr(record, name, None)
            if isinstance(value, str):
                setattr(record, name, mask_personal_data(value))
        return True


class RequestContextFilter(logging.Filter):
    """Put the current request id (or Celery task name and id) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        task = task_var.get()
        if task is not None and not getattr(record, "task", ""):
            record.task, record.task_id = task
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line with a fixed set of keys.

    Only the keys below are ever written: arbitrary `extra=` values are not dumped, so personal data
    passed to a logger by mistake does not reach the log through a side door.
    """

    EXTRA_KEYS = ("request_id", "method", "path", "view", "status", "duration_ms", "task", "task_id")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_personal_data(record.getMessage()),
        }
        for key in self.EXTRA_KEYS:
            value = getattr(record, key, None)
            if value not in (None, ""):
                entry[key] = mask_personal_data(value) if isinstance(value, str) else value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = mask_personal_data(record.exc_text)
        return json.dumps(entry, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """The development format, with the request id when there is one."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        request_id = getattr(record, "request_id", "")
        return f"{line} [req {request_id}]" if request_id else line


def configure(logging_config: dict, *, log_format: str) -> dict:
    """Add the formatters and filters to a settings.LOGGING dict and choose the console format."""
    if log_format not in {"plain", "json"}:
        raise ValueError(f"SSCARD_LOG_FORMAT must be 'plain' or 'json', not {log_format!r}")
    logging_config.setdefault("formatters", {}).update({
        "json": {"()": "sscard.ops.logs.JsonFormatter"},
        "plain": {"()": "sscard.ops.logs.PlainFormatter"},
    })
    logging_config.setdefault("filters", {}).update({
        "request_context": {"()": "sscard.ops.logs.RequestContextFilter"},
        "mask_personal_data": {"()": "sscard.ops.logs.MaskPersonalDataFilter"},
    })
    for handler in logging_config.get("handlers", {}).values():
        handler["formatter"] = log_format
        filters = handler.setdefault("filters", [])
        for name in ("request_context", "mask_personal_data"):
            if name not in filters:
                filters.append(name)
    return logging_config
