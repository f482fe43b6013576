"""Prometheus metrics of the python runtime, in the text format prometheus_client 0.16 writes.

Standard library only. The exposition lists, in this order: the python_gc_* and python_info series,
the process_* series read from /proc, then the function_* series of the runtime with their *_created
companions, exactly as the Kubeless python image serves them.
"""

import gc
import os
import platform
import threading
import time

CONTENT_TYPE_LATEST = 'text/plain; version=0.0.4; charset=utf-8'

INF = float('inf')
DEFAULT_BUCKETS = (.005, .01, .025, .05, .075, .1, .25, .5, .75, 1.0, 2.5, 5.0, 7.5, 10.0, INF)


def float_to_go_string(value):
    """Number formatting of the Python client: repr(), with Go's earlier switch to exponents."""
    d = float(value)
    if d == INF:
        return '+Inf'
    if d == -INF:
        return '-Inf'
    if d != d:
        return 'NaN'
    s = repr(d)
    dot = s.find('.')
    if d > 0 and dot > 6:
        mantissa = f'{s[0]}.{s[1:dot]}{s[dot + 1:]}'.rstrip('0.')
        return f'{mantissa}e+0{dot - 1}'
    return s


def _escape(value):
    return value.replace('\\', r'\\').replace('\n', r'\n').replace('"', r'\"')


def _labels_text(pairs):
    if not pairs:
        return ''
    return '{' + ','.join(f'{k}="{_escape(str(v))}"' for k, v in sorted(pairs)) + '}'


def _family(name, help_text, kind, samples):
    lines = [f'# HELP {name} {help_text}', f'# TYPE {name} {kind}']
    for sample_name, pairs, value in samples:
        lines.append(f'{sample_name}{_labels_text(pairs)} {float_to_go_string(value)}')
    return '\n'.join(lines) + '\n'


class _LabelledMetric:
    """A metric family with one label dimension list; children appear on first use."""

    def __init__(self, name, help_text, label_names):
        self.name = name
        self.help = help_text
        self.label_names = tuple(label_names)
        self._lock = threading.Lock()
        self._children = {}

    def labels(self, *values):
        key = tuple(str(v) for v in values)
        with self._lock:
            child = self._children.get(key)
            if child is None:
                child = self._new_child()
                self._children[key] = child
            return child

    def _snapshot(self):
        with self._lock:
            return [(dict(zip(self.label_names, key)), child) for key, child in self._children.items()]


class _CounterChild:
    def __init__(self):
        self.value = 0.0
        self.created = time.time()
        self._lock = threading.Lock()

    def inc(self, amount=1.0):
        with self._lock:
            self.value += amount


class Counter(_LabelledMetric):
    def __init__(self, name, help_text, label_names):
        if name.endswith('_total'):
            name = name[:-len('_total')]
        super().__init__(name, help_text, label_names)

    def _new_child(self):
        return _CounterChild()

    def expose(self):
        children = self._snapshot()
        text = _family(self.name + '_total', self.help, 'counter',
                       [(self.name + '_total', labels.items(), c.value) for labels, c in children])
        if children:
            text += _family(self.name + '_created', self.help, 'gauge',
                            [(self.name + '_created', labels.items(), c.created) for labels, c in children])
        return text


class _HistogramChild:
    def __init__(self, buckets):
        self.buckets = buckets
        self.counts = [0.0] * len(buckets)
        self.sum = 0.0
        self.created = time.time()
        self._lock = threading.Lock()

    def observe(self, amount):
        with self._lock:
            self.sum += amount
            for i, bound in enumerate(self.buckets):
                if amount <= bound:
                    self.counts[i] += 1
                    break

    def read(self):
        with self._lock:
            return list(self.counts), self.sum


class Histogram(_LabelledMetric):
    def __init__(self, name, help_text, label_names, buckets=DEFAULT_BUCKETS):
        super().__init__(name, help_text, label_names)
        self.buckets = tuple(buckets)

    def _new_child(self):
        return _HistogramChild(self.buckets)

    def expose(self):
        children = self._snapshot()
        samples = []
        for labels, child in children:
            counts, total = child.read()
            acc = 0.0
            for bound, count in zip(self.buckets, counts):
                acc += count
                samples.append((self.name + '_bucket', list(labels.items()) + [('le', float_to_go_string(bound))], acc))
            samples.append((self.name + '_count', labels.items(), acc))
            samples.append((self.name + '_sum', labels.items(), total))
        text = _family(self.name, self.help, 'histogram', samples)
        if children:
            text += _family(self.name + '_created', self.help, 'gauge',
                            [(self.name + '_created', labels.items(), c.created) for labels, c in children])
        return text


def _gc_families():
    stats = gc.get_stats()
    collected = [('python_gc_objects_collected_total', [('generation', str(i))], s['collected']) for i, s in enumerate(stats)]
    uncollectable = [('python_gc_objects_uncollectable_total', [('generation', str(i))], s['uncollectable']) for i, s in enumerate(stats)]
    collections = [('python_gc_collections_total', [('generation', str(i))], s['collections']) for i, s in enumerate(stats)]
    return (_family('python_gc_objects_collected_total', 'Objects collected during gc', 'counter', collected)
            + _family('python_gc_objects_uncollectable_total', 'Uncollectable object found during GC', 'counter', uncollectable)
            + _family('python_gc_collections_total', 'Number of times this generation was collected', 'counter', collections))


def _platform_family():
    major, minor, patch = platform.python_version_tuple()
    labels = [('implementation', platform.python_implementation()), ('major', major), ('minor', minor),
              ('patchlevel', patch), ('version', platform.python_version())]
    return _family('python_info', 'Python platform information', 'gauge', [('python_info', labels, 1.0)])


def _boot_time():
    with open('/proc/stat', 'rb') as f:
        for line in f:
            if line.startswith(b'btime '):
                return float(line.split()[1])
    return 0.0


def _process_families():
    try:
        with open('/proc/self/stat', 'rb') as f:
            parts = f.read().split(b')')[-1].split()
        ticks = os.sysconf('SC_CLK_TCK')
        page = os.sysconf('SC_PAGE_SIZE')
        vsize = float(parts[20])
        rss = float(parts[21]) * page
        start = float(parts[19]) / ticks + _boot_time()
        cpu = float(parts[11]) / ticks + float(parts[12]) / ticks
    except (OSError, ValueError, IndexError):
        return ''
    text = (_family('process_virtual_memory_bytes', 'Virtual memory size in bytes.', 'gauge', [('process_virtual_memory_bytes', [], vsize)])
            + _family('process_resident_memory_bytes', 'Resident memory size in bytes.', 'gauge', [('process_resident_memory_bytes', [], rss)])
            + _family('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', 'gauge', [('process_start_time_seconds', [], start)])
            + _family('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', 'counter', [('process_cpu_seconds_total', [], cpu)]))
    try:
        fds = float(len(os.listdir('/proc/self/fd')))
        text += _family('process_open_fds', 'Number of open file descriptors.', 'gauge', [('process_open_fds', [], fds)])
    except OSError:
        pass
    try:
        import resource
        soft = float(resource.getrlimit(resource.RLIMIT_NOFILE)[0])
        text += _family('process_max_fds', 'Maximum number of open file descriptors.', 'gauge', [('process_max_fds', [], soft)])
    except (ImportError, OSError, ValueError):
        pass
    return text


class Registry:
    """The runtime's registry: the default collectors first, then the metrics registered by the runtime."""

    def __init__(self):
        self._metrics = []
        self._lock = threading.Lock()

    def register(self, metric):
        with self._lock:
            self._metrics.append(metric)
        return metric

    def generate_latest(self):
        with self._lock:
            metrics = list(self._metrics)
        text = _gc_families() + _platform_family() + _process_families()
        for metric in metrics:
            text += metric.expose()
        return text.encode('utf-8')
