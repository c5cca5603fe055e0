"""What every answer of the app gets, whichever blueprint made it: the templates' helpers
(error pages included) and the language headers of HTML pages. Installed by the app factory."""

from __future__ import annotations

from flask import Flask

from twinkg.server.dataset import dataset
from twinkg.server.i18n import current_language, other_languages, translator
from twinkg.server.presentation.about import about


def ui_helpers() -> dict:
    """Available in every template, error pages included."""
    lang, kinds = current_language(), dataset().kinds
    return {"_": translator(lang, kinds.messages()), "lang": lang, "other_languages": other_languages(),
            "list_kinds": [(k.name, k.cls) for k in kinds.listed], "about": about()}


def vary_on_language(response):
    # Pages depend on the language cookie and Accept-Language; caches must know. A document
    # that states its own language (the ontology's documentation) is the same for every reader.
    if response.mimetype == "text/html" and not 300 <= response.status_code < 400 \
            and "Content-Language" not in response.headers:
        response.vary.add("Cookie")
        response.vary.add("Accept-Language")
        response.headers["Content-Language"] = current_language()
    return response


def install_app_hooks(app: Flask) -> None:
    app.context_processor(ui_helpers)
    app.after_request(vary_on_language)
