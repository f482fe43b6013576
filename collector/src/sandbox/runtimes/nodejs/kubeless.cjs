'use strict';
// The Kubeless Node.js runtime contract (express + morgan + prom-client), loaded by boot.cjs under the
// path the image uses (/kubeless_rt/kubeless.js) so that stack traces read as they do in a real pod.
// Environment: MOD_NAME, FUNC_HANDLER, FUNC_TIMEOUT, FUNC_RUNTIME, FUNC_MEMORY_LIMIT, FUNC_PORT,
// REQ_MB_LIMIT; KUBELESS_FUNCTION_DIR (default: the working directory) holds <MOD_NAME>.js and is shown
// as /kubeless; FNSCOPE_BIND_HOST is the address to listen on (the image listens on every address).
// The statements that appear in stack traces sit on the lines they have in the image's kubeless.js.
// Behaviour follows the image: every method on every path runs the handler inside a vm script with a
// timeout; a synchronous throw or a rejected promise answers 500 and is counted as a failure with the
// label "<MOD_NAME>-<METHOD>"; a timeout answers 408 and ends the process; OPTIONS answers CORS.

const vm = require('vm');
const path = require('path');
const Module = require('module');

const client = require('prom-client');
const express = require('express');
const morgan = require('morgan');
const helper = require('./helper.cjs');

const bodySizeLimit = Number(process.env.REQ_MB_LIMIT || '1');
const app = express();
app.use(morgan('combined'));
app.use(express.raw({ type: (req) => !helper.isMultipart(req), limit: `${bodySizeLimit}mb` }));
app.use(helper.emptyBodyAsObject);

const modName = process.env.MOD_NAME;
const funcHandler = process.env.FUNC_HANDLER;
const timeout = Number(process.env.FUNC_TIMEOUT || '180');
const funcPort = Number(process.env.FUNC_PORT || '8080');
const realRootPath = process.env.KUBELESS_FUNCTION_DIR || process.cwd();
const modRootPath = '/kubeless';
const modPath = path.join(modRootPath, `${modName}.js`);
const libPath = path.join(realRootPath, 'node_modules');
const libDeps = helper.readDependencies(path.join(realRootPath, 'package.json'));
const loadFunctionModule = helper.functionModuleLoader(path.join(realRootPath, `${modName}.js`), modPath);

const { timeHistogram, callsCounter, errorsCounter } = helper.prepareStatistics('method', client);
helper.routeLivenessProbe(app);
helper.routeMetrics(app, client);

const context = {
    'function-name': funcHandler,
    'timeout': timeout,
    'runtime': process.env.FUNC_RUNTIME,
    'memory-limit': process.env.FUNC_MEMORY_LIMIT,
};

const script = new vm.Script('\nrequire(\'kubeless\')(require(\'' + modPath + '\'));\n', {
    filename: modPath,
    displayErrors: true,
});

function modRequire(p, req, res, end) {
    if (p === 'kubeless') {
        return (handler) => modExecute(handler, req, res, end);
    } else if (p === modPath) {
        return loadFunctionModule();
    } else if (libDeps.includes(p)) {
        return require(path.join(libPath, p));
    } else if (p.indexOf('./') === 0) {
        return require(path.join(realRootPath, p));
    }
    return require(p);
}

// The request body arrives as a Buffer; JSON bodies are parsed, other bodies become strings,
// and an empty body stays the empty object the body parser leaves behind.
function eventData(req) {
    let data = req.body;
    if (!helper.isMultipart(req) && req.body.length > 0) {
        if (req.is('application/json')) {
            data = JSON.parse(req.body.toString('utf-8'));
        } else {
            data = req.body.toString('utf-8');
        }
    }
    return data;
}

function modExecute(handler, req, res, end) {
    let func = null;
    switch (typeof handler) {
        case 'function':
            func = handler;
            break;
        case 'object':
            if (handler) func = handler[funcHandler];
            break;
    }
    if (func === null) throw new Error(`Unable to load ${handler}`);
    try {
        const data = eventData(req);
        const event = { 'event-type': req.get('event-type'), 'event-id': req.get('event-id'), 'event-time': req.get('event-time'), 'event-namespace': req.get('event-namespace'), data, 'extensions': { request: req, response: res } };
        Promise.resolve(func(event, context))
            .then((rval) => modFinalize(rval, res, end))
            .catch((err) => handleError(err, res, funcLabel(req), end));
    } catch (err) {
        handleError(err, res, funcLabel(req), end);
    }
}

function modFinalize(result, res, end) {
    if (!res.writableEnded) {
        switch (typeof result) {
            case 'string':
                res.end(result);
                break;
            case 'object':
                res.json(result);
                break;
            case 'undefined':
                res.end();
                break;
            default:
                res.end(JSON.stringify(result));
        }
    }
    end();
}

function handleError(err, res, label, end) {
    errorsCounter.labels(label).inc();
    res.status(500).send('Internal Server Error');
    console.error(`Function failed to execute: ${err.stack}`);
    end();
}

function funcLabel(req) {
    return modName + '-' + req.method;
}

// Every other request runs the function. OPTIONS is answered as a CORS preflight instead.
// The histogram timer and the call counter start before the script runs; the script's timeout only
// covers the synchronous part of the handler. A timeout cannot stop running code: 408, then exit.
app.all('/{*path}', (req, res) => {
    res.header('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
        res.header('Access-Control-Allow-Methods', req.headers['access-control-request-method']);
        res.header('Access-Control-Allow-Headers', req.headers['access-control-request-headers']);
        res.end();
        return;
    }
    const label = funcLabel(req);
    const end = timeHistogram.labels(label).startTimer();
    callsCounter.labels(label).inc();
    const sandbox = Object.assign({}, global, {
        __filename: modPath,
        __dirname: modRootPath,
        module: new Module(modPath, null),
        require: (p) => modRequire(p, req, res, end),
    });
    {
        try {
            script.runInNewContext(sandbox, { timeout: timeout * 1000 });
        } catch (err) {
            if (err.toString().match('Error: Script execution timed out')) {
                res.status(408).send(err);
                console.error('CRITICAL: Unable to stop spawned process. Exiting');
                process.exit(1);
            } else {
                handleError(err, res, funcLabel, end);
            }
        }
    }
});

helper.listen(app, funcPort, process.env.FNSCOPE_BIND_HOST);
