'use strict';
// Starts the Node.js runtime: compiles kubeless.cjs under the path the runtime has in the Kubeless
// image (/kubeless_rt/kubeless.js), with a require() that resolves from this folder (and so finds
// express, morgan and prom-client in the project's node_modules).

const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');

const realFile = path.join(__dirname, 'kubeless.cjs');
const shownFile = '/kubeless_rt/kubeless.js';
const mod = new Module(shownFile, module);
mod.filename = shownFile;
const run = vm.compileFunction(fs.readFileSync(realFile, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], {
    filename: shownFile,
});
run.call(mod.exports, mod.exports, Module.createRequire(realFile), mod, shownFile, path.dirname(shownFile));
