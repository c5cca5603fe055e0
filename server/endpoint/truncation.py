"""The notice a cut SPARQL answer links to (server/endpoint/answers.py, ``TRUNCATED_NOTICE``).

Its address is relative in the answers: they are kept in the response cache and served to
every host name the server answers under, so they must not name one (issue 15, point 9).
"""

from __future__ import annotations

from flask import Blueprint, render_template

from twinkg.server.conditional import conditional_get
from twinkg.server.dataset import dataset
from twinkg.server.endpoint.answers import TRUNCATED_NOTICE

bp = Blueprint("notices", __name__)
conditional_get(bp, html=True)


@bp.route(TRUNCATED_NOTICE)
def truncated():
    return render_template("truncated.html", max_rows=dataset().settings.max_rows)
