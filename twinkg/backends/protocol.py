"""The client side of the SPARQL 1.1 Protocol and the Graph Store Protocol, with retries.

Queries and updates go through SPARQLWrapper; Graph Store Protocol uploads (which
SPARQLWrapper does not speak) through urllib. Every failure of the remote side — refused
connection, timeout, 5xx, 429, an answer that is not what was asked for — is retried with
exponential backoff and then becomes a ``TwinkgError`` with status 503 and a message that
names the endpoint, so pages answer 503 and the CLI exits with a readable error. A 400 from
the server is the query's fault and is not retried.
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Callable

from pyoxigraph import RdfFormat
from SPARQLWrapper import BASIC, DIGEST, JSON, POST, POSTDIRECTLY, TURTLE, SPARQLWrapper
from SPARQLWrapper import SPARQLExceptions as sx

from twinkg import __version__
from twinkg.errors import TwinkgError

USER_AGENT = (f"twinkg/{__version__} (town-twinning knowledge graph; "
              "https://twinkg.example.org/) SPARQLWrapper")

# Statuses worth another try: the server is busy, restarting or asks us to slow down.
_RETRY_STATUS = {429, 502, 503, 504}


class _Retry(Exception):
    """A transient failure: try again after the backoff (``wait`` overrides it)."""

    def __init__(self, reason: str, wait: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


@dataclass(frozen=True)
class Remote:
    """Where and how to reach one SPARQL server."""

    endpoint: str
    update_endpoint: str = ""
    graph_store: str = ""
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.5
    user: str = ""
    password: str = ""
    auth: str = "basic"
    agent: str = USER_AGENT
    #: Called with the seconds to wait before a retry (tests count retries through it).
    sleep: Callable[[float], None] = time.sleep

    # -- the retry loop -----------------------------------------------------------------

    def _with_retries(self, what: str, url: str, attempt: Callable[[], bytes | str]):
        delay = self.backoff
        for n in range(self.retries + 1):
            try:
                return attempt()
            except _Retry as exc:
                if n == self.retries:
                    raise TwinkgError(f"the remote SPARQL store at {url} is unavailable "
                                      f"({what}: {exc.reason}; tried {n + 1} times)", 503) from None
                self.sleep(exc.wait if exc.wait is not None else delay)
                delay *= 2
        raise AssertionError("unreachable")

    @staticmethod
    def _transient(exc: Exception) -> _Retry:
        if isinstance(exc, urllib.error.HTTPError):
            retry_after = exc.headers.get("Retry-After", "") if exc.headers else ""
            wait = float(retry_after) if retry_after.isdigit() else None
            return _Retry(f"HTTP {exc.code} {exc.reason}", wait)
        if isinstance(exc, urllib.error.URLError):
            exc = exc.reason if isinstance(exc.reason, Exception) else exc
        if isinstance(exc, (TimeoutError, socket.timeout)):
            return _Retry("no answer within the timeout")
        if isinstance(exc, ConnectionRefusedError):
            return _Retry("connection refused")
        return _Retry(str(exc) or type(exc).__name__)

    # -- SPARQL 1.1 Protocol through SPARQLWrapper ---------------------------------------

    def _wrapper(self, url: str) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(url, updateEndpoint=self.update_endpoint or None, agent=self.agent)
        wrapper.setMethod(POST)  # bound VALUES blocks make long queries: no 414s from GET
        wrapper.setOnlyConneg(True)  # ask by Accept only, no non-standard format= parameters
        wrapper.setTimeout(int(max(1, round(self.timeout))))
        if self.user:
            wrapper.setHTTPAuth(DIGEST if self.auth.lower() == "digest" else BASIC)
            wrapper.setCredentials(self.user, self.password)
        return wrapper

    def _send(self, wrapper: SPARQLWrapper, url: str, what: str, rejected_status: int):
        """One request; SPARQLWrapper's and urllib's errors as TwinkgErrors (transient ones retried)."""
        try:
            response = wrapper.query().response
            return response, response.read()
        except sx.QueryBadFormed as exc:
            raise TwinkgError(f"the remote SPARQL store rejected {what}: {_server_message(exc)}",
                              rejected_status) from None
        except (sx.Unauthorized, urllib.error.HTTPError, sx.EndPointNotFound,
                sx.EndPointInternalError, sx.URITooLong) as exc:
            raise _remote_http_error(exc, url) from None
        except (OSError, http.client.HTTPException) as exc:
            raise self._transient(exc) from None

    def query(self, text: str, *, graph_result: bool, default_graphs=(), named_graphs=()) -> tuple[bytes, str]:
        """Run a query; the raw body and its media type (JSON results, or Turtle/N-Triples)."""
        def attempt():
            wrapper = self._wrapper(self.endpoint)
            wrapper.setQuery(text)
            # Our own parse decided the form; SPARQLWrapper's regex guess is not needed.
            wrapper.queryType = "CONSTRUCT" if graph_result else "SELECT"
            wrapper.setReturnFormat(TURTLE if graph_result else JSON)
            for g in default_graphs:
                wrapper.addParameter("default-graph-uri", g)
            for g in named_graphs:
                wrapper.addParameter("named-graph-uri", g)
            response, body = self._send(wrapper, self.endpoint, "the query", 400)
            media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            return body, media_type

        return self._with_retries("query", self.endpoint, attempt)

    def update(self, text: str) -> None:
        if not self.update_endpoint:
            raise TwinkgError("no SPARQL Update endpoint configured (--update-endpoint): "
                              "cannot write to the remote store", 400)

        def attempt():
            wrapper = self._wrapper(self.update_endpoint)
            wrapper.setRequestMethod(POSTDIRECTLY)
            wrapper.setQuery(text)
            wrapper.queryType = "INSERT"  # any update form: it selects the update endpoint
            # our own update text was refused: the remote store is not usable (503), not the user
            self._send(wrapper, self.update_endpoint, "an update", 503)
            return b""

        self._with_retries("update", self.update_endpoint, attempt)

    # -- Graph Store Protocol (uploads) --------------------------------------------------

    def put_graph(self, graph: str, ntriples: bytes, *, replace: bool) -> None:
        """PUT (replace) or POST (add to) one graph's triples as N-Triples."""
        url = self.graph_store + ("&" if "?" in self.graph_store else "?") + \
            urllib.parse.urlencode({"graph": graph})

        opener = self._opener(url)

        def attempt():
            request = urllib.request.Request(url, data=ntriples, method="PUT" if replace else "POST")
            request.add_header("Content-Type", RdfFormat.N_TRIPLES.media_type)
            request.add_header("User-Agent", self.agent)
            try:
                with opener.open(request, timeout=self.timeout) as response:
                    response.read()
            except urllib.error.HTTPError as exc:
                raise _remote_http_error(exc, self.graph_store) from None
            except (OSError, http.client.HTTPException) as exc:
                raise self._transient(exc) from None
            except ValueError as exc:  # urllib's auth handlers: a scheme other than Basic/digest
                raise TwinkgError(f"the Graph Store at {self.graph_store} asks for authentication "
                                  f"twinkg cannot give ({exc})", 503) from None
            return b""

        self._with_retries("graph store upload", self.graph_store, attempt)


    def _opener(self, url: str) -> urllib.request.OpenerDirector:
        """urllib with the credentials the server demands: a 401's ``WWW-Authenticate`` picks
        digest or Basic. Basic is sent at once when it is the configured scheme (no extra
        round trip; a server asking for digest instead still gets digest)."""
        if not self.user:
            return urllib.request.build_opener()
        passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
        passwords.add_password(None, url, self.user, self.password,
                               is_authenticated=self.auth.lower() != "digest")
        return urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords),
                                           urllib.request.HTTPDigestAuthHandler(passwords))


def _server_message(exc: Exception) -> str:
    text = str(exc)
    # SPARQLWrapper prefixes its own explanation; keep the server's words, briefly.
    marker = "Response:\n"
    if marker in text:
        text = text.split(marker, 1)[1]
    text = text.strip().strip("b'\"").replace("\\n", " ")
    return text[:500]


def _remote_http_error(exc: Exception, url: str) -> Exception:
    """Transient statuses are retried; the others are the configuration's fault: 503 now."""
    code = getattr(exc, "code", None)
    if code is None:
        code = {sx.Unauthorized: 401, sx.EndPointNotFound: 404, sx.EndPointInternalError: 500,
                sx.URITooLong: 414}.get(type(exc))
    if code in _RETRY_STATUS:
        return Remote._transient(exc)
    if code in (401, 403):
        return TwinkgError(f"the remote SPARQL store at {url} refused access (HTTP {code}); "
                           "check remote_user and remote_password", 503)
    if code == 404:
        return TwinkgError(f"no SPARQL service at {url} (HTTP 404); check the endpoint URL", 503)
    if code == 500:
        return _Retry(f"HTTP 500: {_server_message(exc)}")
    return TwinkgError(f"the remote SPARQL store at {url} answered HTTP {code}: "
                       f"{_server_message(exc)}", 503)
