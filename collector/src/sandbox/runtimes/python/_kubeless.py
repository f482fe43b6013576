#!/usr/bin/env python3
"""The Kubeless python runtime contract, on the standard library alone.

Environment (as the Kubeless controller sets it): MOD_NAME, FUNC_HANDLER, FUNC_TIMEOUT, FUNC_RUNTIME,
FUNC_MEMORY_LIMIT, FUNC_PORT; MP_CONTEXT (forkserver or spawn), CHERRYPY_NUMTHREADS. The function's
module is read from the working directory and shown as /kubeless/<MOD_NAME>.py, where the image keeps it.
FNSCOPE_BIND_HOST is the address to listen on (the image listens on 0.0.0.0).

Behaviour follows the image: every method but PUT/OPTIONS on any path runs the function in a
subprocess with the Kubeless event and context; GET /healthz; GET /metrics; a timeout answers 408
and is not counted as a failure; an exception is logged on stderr and answered with bottle's 500 page;
each request gets an access line on stdout, copied to stderr once the root logger has a handler.
"""

import importlib
import importlib.abc
import importlib.util
import linecache
import logging
import os
import queue
import sys
import threading
import time

import _kubeless_frames
import _kubeless_metrics as prom
import _kubeless_web as web

RUNTIME_MODULES = ('_kubeless', '_kubeless_frames', '_kubeless_metrics', '_kubeless_web')
FUNCTION_DIR = os.getenv('KUBELESS_FUNCTION_DIR') or os.getcwd()
VIRTUAL_DIR = '/kubeless'

current_mod = os.path.basename(__file__).split('.')[0]
if os.getenv('MOD_NAME') in RUNTIME_MODULES:
    raise ValueError(f'Module cannot be named {os.getenv("MOD_NAME")}')


class _FunctionLoader(importlib.abc.Loader):
    """Loads the function's module from FUNCTION_DIR under the path it has in the image."""

    def __init__(self, real, virtual):
        self.real = real
        self.virtual = virtual

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        with open(self.real, 'rb') as f:
            source = importlib.util.decode_source(f.read())
        linecache.cache[self.virtual] = (len(source), None, source.splitlines(True), self.virtual)
        code = compile(source, self.virtual, 'exec', dont_inherit=True)
        module.__file__ = self.virtual
        exec(code, module.__dict__)


class _FunctionFinder(importlib.abc.MetaPathFinder):
    def __init__(self, name):
        self.name = name

    def find_spec(self, fullname, path=None, target=None):
        real = os.path.join(FUNCTION_DIR, f'{fullname}.py')
        if fullname != self.name or not os.path.isfile(real):
            return None
        virtual = f'{VIRTUAL_DIR}/{fullname}.py'
        return importlib.util.spec_from_loader(fullname, _FunctionLoader(real, virtual), origin=virtual)


sys.meta_path.insert(0, _FunctionFinder(os.getenv('MOD_NAME')))
sys.path.append(FUNCTION_DIR)
mod = importlib.import_module(os.getenv('MOD_NAME'))
func = getattr(mod, os.getenv('FUNC_HANDLER'))
func_port = int(os.getenv('FUNC_PORT', 8080))
timeout = float(os.getenv('FUNC_TIMEOUT', 180))

function_context = {
    'function-name': func.__name__,
    'timeout': timeout,
    'runtime': os.getenv('FUNC_RUNTIME'),
    'memory-limit': os.getenv('FUNC_MEMORY_LIMIT'),
}


def funcWrap(q, event, c):
    try:
        q.put(func(event, c))
    except Exception as inst:
        q.put(inst)


def preload():
    """A no-op run once so that the forkserver is up before the first call."""


class _Runtime:
    """State of the serving process: metrics, the multiprocessing context and the current request."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.local = threading.local()
        self.registry = prom.Registry()
        self.func_hist = self.registry.register(prom.Histogram(
            'function_duration_seconds', 'Duration of user function in seconds', ['method']))
        self.func_calls = self.registry.register(prom.Counter(
            'function_calls_total', 'Number of calls to user function', ['method']))
        self.func_errors = self.registry.register(prom.Counter(
            'function_failures_total', 'Number of exceptions in user function', ['method']))
        self.handle, json_plugin, handler = _kubeless_frames.build(
            self.request, self.invoke, web.HTTPResponse, logging)
        self.route = type('Route', (), {})()
        self.route.call = json_plugin(handler, web.json_dumps, self.response_proxy())

    def request(self):
        return self.local.request

    def response_proxy(self):
        runtime = self

        class _Proxy:
            def __setattr__(self, name, value):
                setattr(runtime.local.response, name, value)

        return _Proxy()

    def invoke(self, req, data):
        """Run the function once in a subprocess; count it as the image does."""
        event = {
            'data': data,
            'event-id': req.get_header('event-id'),
            'event-type': req.get_header('event-type'),
            'event-time': req.get_header('event-time'),
            'event-namespace': req.get_header('event-namespace'),
            'extensions': {'request': req},
        }
        method = req.method
        self.func_calls.labels(method).inc()
        errors = self.func_errors.labels(method)
        hist = self.func_hist.labels(method)
        start = time.perf_counter()
        try:
            q = self.ctx.Queue()
            p = self.ctx.Process(target=funcWrap, args=(q, event, function_context))
            p.start()
            try:
                res = q.get(block=True, timeout=timeout)
            except queue.Empty:
                p.terminate()
                p.join()
                return web.HTTPError(408, 'Timeout while processing the function')
            p.join()
            if isinstance(res, Exception) and not isinstance(res, web.HTTPResponse):
                errors.inc()
            return res
        except Exception:
            errors.inc()
            raise
        finally:
            hist.observe(max(time.perf_counter() - start, 0))

    def on_error(self, stacktrace):
        sys.stderr.write(stacktrace)
        sys.stderr.flush()
        return web.HTTPError(500, 'Internal Server Error')

    def app(self, environ, body):
        req = web.Request(environ, body)
        self.local.request = req
        self.local.response = web.Response()
        path, method = environ['PATH_INFO'], environ['REQUEST_METHOD']
        if path == '/healthz' and method in ('GET', 'HEAD'):
            out = 'OK'
        elif path == '/metrics' and method in ('GET', 'HEAD'):
            self.local.response.content_type = prom.CONTENT_TYPE_LATEST
            out = self.registry.generate_latest()
        elif method in ('GET', 'HEAD', 'POST', 'PATCH', 'DELETE'):
            out = self.handle(self.route, {}, self.on_error)
        else:
            out = web.HTTPError(405, 'Method not allowed.')
        return web.cast(out, self.local.response, req.url)


def _context():
    import multiprocessing as mp
    mp_context = os.getenv('MP_CONTEXT', 'forkserver')
    if mp_context == 'fork':
        raise ValueError('"fork" multiprocessing context is not supported because the server is '
                         'multithreaded and safely forking a multithreaded process is problematic')
    if mp_context not in ('forkserver', 'spawn'):
        raise ValueError(f'"{mp_context}" is an invalid multiprocessing context. Possible values '
                         'are "forkserver" and "spawn"')
    try:
        ctx = mp.get_context(mp_context)
        if ctx.get_start_method() == 'forkserver':
            ctx.set_forkserver_preload([current_mod])
            d = ctx.Process(target=preload)
            d.start()
            d.join()
    except ValueError:
        ctx = mp.get_context('spawn')
        logging.warning(f'"{mp_context}" multiprocessing context is unavailable. Using "spawn"')
    return ctx


def main():
    runtime = _Runtime(_context())
    access = logging.getLogger('requestlogger')
    access.propagate = True
    access.setLevel(logging.DEBUG)
    access.addHandler(logging.StreamHandler(stream=sys.stdout))
    host = os.getenv('FNSCOPE_BIND_HOST', '0.0.0.0')
    threads = int(os.getenv('CHERRYPY_NUMTHREADS', '10'))
    sys.stderr.write(f'Bottle v0.12.23 server starting up (using CherryPyServer(numthreads={threads}))...\n')
    sys.stderr.write(f'Listening on http://{host}:{func_port}/\n')
    sys.stderr.write('Hit Ctrl-C to quit.\n\n')
    sys.stderr.flush()
    web.serve(runtime.app, host, func_port, access, threads)


if __name__ == '__main__':
    main()
