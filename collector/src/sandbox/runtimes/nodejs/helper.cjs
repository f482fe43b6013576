'use strict';
// Helpers of the Node.js runtime: metrics, probes, body handling, listening and function loading.

const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');

function readDependencies(pkgFile) {
    try {
        const deps = JSON.parse(fs.readFileSync(pkgFile, 'utf8')).dependencies;
        return deps && typeof deps === 'object' ? Object.getOwnPropertyNames(deps) : [];
    } catch {
        return [];
    }
}

function prepareStatistics(label, promClient) {
    const timeHistogram = new promClient.Histogram({
        name: 'function_duration_seconds',
        help: 'Duration of user function in seconds',
        labelNames: [label],
    });
    const callsCounter = new promClient.Counter({
        name: 'function_calls_total',
        help: 'Number of calls to user function',
        labelNames: [label],
    });
    const errorsCounter = new promClient.Counter({
        name: 'function_failures_total',
        help: 'Number of exceptions in user function',
        labelNames: [label],
    });
    return { timeHistogram, callsCounter, errorsCounter };
}

function routeLivenessProbe(app) {
    app.get('/healthz', (req, res) => {
        res.status(200).send('OK');
    });
}

function routeMetrics(app, promClient) {
    app.get('/metrics', async (req, res) => {
        const body = await promClient.register.metrics();
        res.status(200);
        res.set('Content-Type', sortedParameters(promClient.register.contentType));
        res.send(body);
    });
}

// Express 4 rewrote the metrics content type with its parameters in name order.
function sortedParameters(contentType) {
    const [type, ...params] = contentType.split(';').map((p) => p.trim());
    return [type, ...params.sort()].join('; ');
}

function isMultipart(req) {
    return Boolean(req.is('multipart/form-data'));
}

// The image's body parser leaves an empty object behind when a request has no body.
function emptyBodyAsObject(req, res, next) {
    if (req.body === undefined) req.body = {};
    next();
}

// The image listens on every address, so IPv4 clients appear as ::ffff:a.b.c.d in access lines.
// Listening on the IPv4-mapped form of one address keeps that while staying on that address.
function listen(app, port, host) {
    if (!host) return app.listen(port);
    const mapped = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? `::ffff:${host}` : host;
    const server = app.listen(port, mapped);
    server.once('error', (err) => {
        if (mapped === host || err.code === 'EADDRINUSE') throw err;
        app.listen(port, host);
    });
    return server;
}

// Loads the function's module from its file but under the path the image uses, like require() does:
// once loaded it is cached; a module that throws while loading is tried again on the next call.
function functionModuleLoader(realFile, shownFile) {
    let loaded = null;
    return function loadFunctionModule() {
        if (loaded) return loaded.exports;
        const source = fs.readFileSync(realFile, 'utf8');
        const mod = new Module(shownFile, null);
        mod.filename = shownFile;
        mod.paths = Module._nodeModulePaths(path.dirname(realFile));
        const wrapper = vm.compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], {
            filename: shownFile,
        });
        const localRequire = Module.createRequire(realFile);
        wrapper.call(mod.exports, mod.exports, localRequire, mod, shownFile, path.dirname(shownFile));
        mod.loaded = true;
        loaded = mod;
        return mod.exports;
    };
}

module.exports = {
    readDependencies,
    prepareStatistics,
    routeLivenessProbe,
    routeMetrics,
    isMultipart,
    emptyBodyAsObject,
    listen,
    functionModuleLoader,
};
