"""The framework floor for bench/run.py: a bare Flask route under the same server and workers."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}
