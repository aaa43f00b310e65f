"""jsonschema-rs, imported without the e-mail package that it loads only to stamp its build date.

The extension's module init (pyo3-built's ``__build__`` table) calls
``email.utils.parsedate_to_datetime`` once, on its build date. Importing ``email.utils`` brings in
socket, random, datetime, calendar and urllib.parse: ~20 ms of CPU in every ``kubenotes validate``,
for a date nothing reads. So while the extension loads, a stand-in ``email.utils`` answers that one
call (the date stays text) and is removed right after: a later ``import email.utils`` gets the real
module. Anyone else who asks the stand-in for anything meanwhile (another thread) is handed the real
module's attribute.

Import the library from here (``from kubenotes.manifests.schema_library import jsonschema_rs``) so
that the first import in a process is this one.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

EMAIL_UTILS = "email.utils"


def _stand_in() -> ModuleType:
    module = ModuleType(EMAIL_UTILS, "a stand-in while jsonschema_rs loads (schema_library)")

    def parsedate_to_datetime(date: str) -> str:
        return date

    def real_attribute(name: str) -> object:
        if sys.modules.get(EMAIL_UTILS) is module:
            del sys.modules[EMAIL_UTILS]
        return getattr(importlib.import_module(EMAIL_UTILS), name)

    vars(module).update(parsedate_to_datetime=parsedate_to_datetime, __getattr__=real_attribute)
    return module


if "jsonschema_rs" in sys.modules or EMAIL_UTILS in sys.modules:
    import jsonschema_rs
else:
    _waiting = sys.modules[EMAIL_UTILS] = _stand_in()
    try:
        import jsonschema_rs
    finally:
        if sys.modules.get(EMAIL_UTILS) is _waiting:
            del sys.modules[EMAIL_UTILS]
        del _waiting

__all__ = ["jsonschema_rs"]
