"""``twinkg serve``: the production server (granian), or Flask's for development."""

from __future__ import annotations

import errno
import os
import resource
import socket

import click
from granian import Granian
from granian.constants import Interfaces
from granian.http import HTTP1Settings

from twinkg.commands.options import BASE, DATA, ENDPOINT, STORE, options, setting, settings_of
from twinkg.config import env_for, granian_options
from twinkg.errors import TwinkgError
from twinkg.loaders.pipeline import load as run_load
from twinkg.progress import Progress
from twinkg.server import create_app
from twinkg.server.execution.recycle import SUPERVISOR_ENV
from twinkg.server.wsgi import preload
from twinkg.store import dataset_meta


def _refuse_a_port_in_use(host: str, port: int) -> None:
    """Fail before granian starts if another process listens on ``host:port``.

    Granian binds with SO_REUSEPORT, so a second server on a port in use would start without
    complaint and the kernel would split the requests between the two (and their datasets).
    A bind without SO_REUSEPORT fails while anyone listens there. SO_REUSEADDR lets a port that
    a stopped server left in TIME_WAIT count as free, as granian's own bind does. (A server that
    binds between this check and granian's start is not caught: there is no lock on a port.)
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise TwinkgError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(f"port {port} on {host} is in use (another `twinkg serve`?): stop that "
                                f"server or choose another --port") from None
            raise TwinkgError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


class PortInUse(click.ClickException):
    """Exit status 3 (1 is any other error): scripts can tell "port taken" from a failed start."""

    exit_code = 3


@click.command()
@options(DATA, STORE, BASE, ENDPOINT)
@setting("--host", name="host", help="Interface to listen on (default 127.0.0.1).")
@setting("--port", name="port", type=int, help="Port (default 8000).")
@setting("--workers", name="workers", type=int, help="Worker processes (default 2).")
@click.option("--load/--no-load", "do_load", default=False,
              help="Validate and load the curated data before serving (into a remote store: "
                   "give its update URL as TWINKG_UPDATE_ENDPOINT).")
@click.option("--debug", is_flag=True, help="Flask's development server with reloading (never in production).")
def serve(data, store, base_iri, host, port, workers, do_load, debug, **remote):
    """Serve the store: SPARQL endpoint, pages and downloads on http://127.0.0.1:8000."""
    settings = settings_of(data, store, base_iri, host=host, port=port, workers=workers, **remote)
    _refuse_a_port_in_use(settings.host, settings.port)  # before a load that would be wasted
    if do_load:
        _, info, seconds = run_load(settings, Progress())
        click.echo(f"loaded version {info.version} in {seconds:.2f} s", err=True)
    if settings.remote:
        dataset_meta(settings)  # fail now, clearly, rather than with 503s on every page
    elif not settings.store.exists():
        raise click.ClickException(f"no store at {settings.store}: run `twinkg load` first (or serve --load)")
    # Workers rebuild the settings from the environment and open the store after the fork.
    os.environ.update(env_for(settings))
    click.echo(f"serving {settings.endpoint or settings.store} on http://{settings.host}:{settings.port}/", err=True)
    if debug:
        create_app(settings).run(settings.host, settings.port, debug=True)
        return
    preload()  # before granian forks: a worker that replaces another starts in ~0.1 s
    _raise_open_files_limit()
    os.environ[SUPERVISOR_ENV] = str(os.getpid())  # granian's main process is this one
    server_options = granian_options(settings)
    http1 = HTTP1Settings(**server_options.pop("http1"))
    Granian("twinkg.server.wsgi:app_from_environment", interface=Interfaces.WSGI, factory=True,
            http1_settings=http1, **server_options).serve()


def _raise_open_files_limit() -> None:
    """Each open connection is a file descriptor: at the usual soft limit of 1,024 a few
    hundred idle clients per worker would leave none for new connections (or the store)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else max(soft, 65536), hard))
        except (ValueError, OSError):
            pass  # keep the limit the system gave; the server still works with fewer clients
