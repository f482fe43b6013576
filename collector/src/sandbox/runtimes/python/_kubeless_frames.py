"""The request path of the Kubeless python image, as frames that tracebacks print.

In a real pod a failing call is reported by bottle's `_handle`, through bottle's JSON plugin wrapper,
down to the runtime's `handler`, which re-raises the exception the function returned from its
subprocess. The functions below are compiled under the file names and line numbers those frames
have in the image, so a traceback printed here reads like one printed there: the same files, lines,
source text and (on Python 3.11+) the same caret markers, all produced by Python itself.
"""

import linecache
from traceback import format_exc

BOTTLE_FILE = '/usr/lib/python3/dist-packages/bottle.py'
KUBELESS_FILE = '/_kubeless.py'

_BOTTLE_LINES = {
    860: 'def _handle(route, args, on_error):',
    861: '    try:',
    876: '        return route.call(**args)',
    877: '    except (KeyboardInterrupt, SystemExit, MemoryError):',
    878: '        raise',
    879: '    except Exception:',
    880: '        return on_error(format_exc())',
    1750: 'def json_plugin(callback, dumps, response):',
    1751: '    def wrapper(*a, **ka):',
    1752: '        try:',
    1753: '            pass',
    1754: '        except Exception:',
    1755: '            raise',
    1756: '        rv = callback(*a, **ka)',
    1757: '        if isinstance(rv, dict):',
    1758: '            json_response = dumps(rv)',
    1759: "            response.content_type = 'application/json'",
    1760: '            return json_response',
    1761: '        return rv',
    1762: '    return wrapper',
}

_KUBELESS_LINES = {
    88: 'def handler():',
    89: '    req = request()',
    90: '    data = req.body.read()',
    92: "    if req.get_header('content-type') == 'application/json':",
    93: '        data = req.json',
    103: '    res = invoke(req, data)',
    118: '    if isinstance(res, Exception) and not isinstance(res, HTTPResponse):',
    120: '        logging.error("Function returned an exception: %s", res)',
    121: '        raise res',
    122: '    return res',
}


def _listing(lines):
    last = max(lines)
    return '\n'.join(lines.get(n, '') for n in range(1, last + 1)) + '\n'


def _compile(filename, lines, namespace):
    source = _listing(lines)
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, 'exec', dont_inherit=True), namespace)
    return namespace


def build(request, invoke, http_response_type, logging_module):
    """Return (handle, route): handle(route, {}, on_error) runs one call of the function."""
    bottle_ns = _compile(BOTTLE_FILE, _BOTTLE_LINES, {'format_exc': format_exc, '__name__': 'bottle'})
    kubeless_ns = _compile(KUBELESS_FILE, _KUBELESS_LINES, {
        'request': request,
        'invoke': invoke,
        'HTTPResponse': http_response_type,
        'logging': logging_module,
        '__name__': '_kubeless',
    })
    return bottle_ns['_handle'], bottle_ns['json_plugin'], kubeless_ns['handler']
