"""HTTP side of the python runtime: the request object, bottle's response rules and error pages, the
CherryPy-style threaded server and the wsgi-request-logger access line. Standard library only."""

import io
import itertools
import json
import threading
import time
from datetime import datetime
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote

SERVER_NAME = 'Cheroot/9.0.0'
HTML_TYPE = 'text/html; charset=UTF-8'
json_dumps = json.dumps
ALLOWED = 'DELETE,GET,PATCH,POST'
MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

REASONS = {
    200: 'OK', 204: 'No Content', 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed',
    408: 'Request Timeout', 413: 'Request Entity Too Large', 500: 'Internal Server Error',
}

ERROR_PAGE = '''
    <!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
    <html>
        <head>
            <title>Error: {status}</title>
            <style type="text/css">
              html {{background-color: #eee; font-family: sans;}}
              body {{background-color: #fff; border: 1px solid #ddd;
                    padding: 15px; margin: 15px;}}
              pre {{background-color: #eee; border: 1px solid #ddd; padding: 5px;}}
            </style>
        </head>
        <body>
            <h1>Error: {status}</h1>
            <p>Sorry, the requested URL <tt>{url}</tt>
               caused an error:</p>
            <pre>{body}</pre>
        </body>
    </html>
'''


def html_escape(s):
    return (s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
            .replace('"', '&quot;').replace("'", '&#039;'))


class HTTPResponse(Exception):
    """A response object a function (or the runtime) can return instead of a body."""

    def __init__(self, body='', status=200, headers=None):
        super().__init__(body)
        self.body = body
        self.status = status
        self.headers = dict(headers or {})


class HTTPError(HTTPResponse):
    def __init__(self, status=500, body=None):
        super().__init__(body, status)


class Request:
    """What a function receives as event['extensions']['request']: picklable, bottle-like."""

    def __init__(self, environ, body):
        self.environ = environ
        self.body = io.BytesIO(body)

    def __repr__(self):
        return f'<PicklableBottleRequest: {self.method} {self.url}>'

    def __getstate__(self):
        return {'environ': self.environ, 'body': self.body.getvalue()}

    def __setstate__(self, state):
        self.environ = state['environ']
        self.body = io.BytesIO(state['body'])

    @property
    def method(self):
        return self.environ.get('REQUEST_METHOD', 'GET').upper()

    @property
    def path(self):
        return '/' + self.environ.get('PATH_INFO', '').lstrip('/')

    @property
    def query_string(self):
        return self.environ.get('QUERY_STRING', '')

    @property
    def query(self):
        return dict(parse_qsl(self.query_string, keep_blank_values=True))

    @property
    def headers(self):
        out = {k.replace('_', '-').title(): v for k, v in self.environ.items() if k in ('CONTENT_TYPE', 'CONTENT_LENGTH')}
        out.update({k[5:].replace('_', '-').title(): v for k, v in self.environ.items() if k.startswith('HTTP_')})
        return out

    def get_header(self, name, default=None):
        key = name.upper().replace('-', '_')
        if key not in ('CONTENT_TYPE', 'CONTENT_LENGTH'):
            key = 'HTTP_' + key
        return self.environ.get(key, default)

    @property
    def content_type(self):
        return self.environ.get('CONTENT_TYPE', '').lower()

    @property
    def json(self):
        ctype = self.content_type.split(';')[0]
        if ctype not in ('application/json', 'application/json-rpc'):
            return None
        raw = self.body.getvalue()
        if not raw:
            return None
        return json.loads(raw)

    @property
    def url(self):
        host = self.environ.get('HTTP_HOST') or f"{self.environ.get('SERVER_NAME')}:{self.environ.get('SERVER_PORT')}"
        qs = self.query_string
        return f"http://{host}{self.environ.get('SCRIPT_NAME', '')}{self.path}" + (f'?{qs}' if qs else '')

    @property
    def remote_addr(self):
        return self.environ.get('REMOTE_ADDR')


class Response:
    """Per-request response settings the request path may change (content type, extra headers)."""

    def __init__(self):
        self._content_type = None
        self.headers = {}

    @property
    def content_type(self):
        return self._content_type or HTML_TYPE

    @content_type.setter
    def content_type(self, value):
        self._content_type = value


def _headers(response, length):
    """Bottle's header order: an explicitly set Content-Type comes first, the default one last."""
    sized = [] if length is None else [('Content-Length', str(length))]
    extra = list(response.headers.items())
    if response._content_type is not None:
        return [('Content-Type', response._content_type)] + sized + extra
    return sized + extra + [('Content-Type', HTML_TYPE)]


def error_page(status, url, body):
    text = f'{status} {REASONS.get(status, "Unknown")}'
    page = ERROR_PAGE.format(status=text, url=html_escape(repr(url)), body=html_escape(str(body))).encode('utf-8')
    extra = [('Allow', ALLOWED)] if status == 405 else []
    return status, extra + _headers(Response(), len(page)), [page]


def cast(out, response, url):
    """Bottle's rules for turning what a route returned into (status, headers, chunks).

    Responses without a Content-Length header are sent chunked."""
    if isinstance(out, HTTPError):
        return error_page(out.status, url, out.body)
    if isinstance(out, HTTPResponse):
        response.headers.update(out.headers)
        _, headers, chunks = cast(out.body, response, url)
        return out.status, headers, chunks
    if not out:
        return 200, _headers(response, 0), []
    if isinstance(out, (tuple, list)) and isinstance(out[0], (bytes, str)):
        out = out[0][0:0].join(out)
    if isinstance(out, str):
        out = out.encode('utf-8')
    if hasattr(out, 'read'):
        out = out.read()
    if isinstance(out, bytes):
        return 200, _headers(response, len(out)), [out]
    try:
        it = iter(out)
        first = next(it)
        while not first:
            first = next(it)
    except StopIteration:
        return 200, _headers(response, 0), []
    except Exception:
        return error_page(500, url, 'Unhandled exception')
    if isinstance(first, bytes):
        chunks = list(itertools.chain([first], it))
    elif isinstance(first, str):
        chunks = [c.encode('utf-8') for c in itertools.chain([first], it)]
    else:
        return error_page(500, url, f'Unsupported response type: {type(first)}')
    return 200, _headers(response, None), chunks


def access_line(environ, status, size, elapsed):
    now = datetime.now().astimezone()
    stamp = now.strftime(f'%d/{MONTHS[now.month - 1]}/%Y:%H:%M:%S %z')
    micros = int(elapsed * 1_000_000)
    request_line = f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']} {environ['SERVER_PROTOCOL']}"
    return (f"{environ['REMOTE_ADDR']} - - [{stamp}] \"{request_line}\" {status} {size} "
            f"\"{environ.get('HTTP_REFERER', '')}\" \"{environ.get('HTTP_USER_AGENT', '')}\" "
            f"{micros // 1_000_000}/{micros % 1_000_000}")


def make_handler(app, access_logger, slots):
    """A request handler class that builds an environ, runs app(environ) and writes the response."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_message(self, format, *args):
            pass

        def __getattr__(self, name):
            if name.startswith('do_'):
                return self._serve
            raise AttributeError(name)

        def _read_body(self):
            if 'chunked' in self.headers.get('Transfer-Encoding', '').lower():
                out = bytearray()
                while True:
                    size = int(self.rfile.readline().split(b';')[0].strip() or b'0', 16)
                    if size == 0:
                        while self.rfile.readline().strip():
                            pass
                        return bytes(out)
                    out += self.rfile.read(size)
                    self.rfile.readline()
            length = int(self.headers.get('Content-Length') or 0)
            return self.rfile.read(length) if length > 0 else b''

        def _environ(self):
            path, _, query = self.path.partition('?')
            env = {
                'REQUEST_METHOD': self.command,
                'PATH_INFO': unquote(path, encoding='latin-1'),
                'QUERY_STRING': query,
                'SERVER_PROTOCOL': self.request_version,
                'REMOTE_ADDR': self.client_address[0],
                'REMOTE_PORT': str(self.client_address[1]),
                'SERVER_NAME': self.server.server_address[0],
                'SERVER_PORT': str(self.server.server_address[1]),
                'SCRIPT_NAME': '',
                'wsgi.url_scheme': 'http',
            }
            for key, value in self.headers.items():
                name = key.upper().replace('-', '_')
                if name in ('CONTENT_TYPE', 'CONTENT_LENGTH'):
                    env[name] = value
                else:
                    env['HTTP_' + name] = value
            return env

        def _serve(self):
            environ = self._environ()
            body = self._read_body()
            with slots:
                start = time.perf_counter()
                status, headers, chunks = app(environ, body)
                elapsed = time.perf_counter() - start
            length = next((int(v) for k, v in headers if k == 'Content-Length'), None)
            access_logger.info(access_line(environ, status, length or 0, elapsed))
            self.send_response_only(status, REASONS.get(status))
            for key, value in headers:
                self.send_header(key, value)
            if length is None:
                self.send_header('Transfer-Encoding', 'chunked')
            self.send_header('Date', formatdate(usegmt=True))
            self.send_header('Server', SERVER_NAME)
            self.end_headers()
            if self.command != 'HEAD':
                for chunk in chunks:
                    self.wfile.write(chunk if length is not None else b'%x\r\n%s\r\n' % (len(chunk), chunk))
                if length is None:
                    self.wfile.write(b'0\r\n\r\n')
            self.wfile.flush()

    return Handler


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(app, host, port, access_logger, numthreads):
    slots = threading.BoundedSemaphore(numthreads)
    server = Server((host, port), make_handler(app, access_logger, slots))
    server.serve_forever()
