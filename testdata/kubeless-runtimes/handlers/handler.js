'use strict';

// Echoes its data; fails, rejects or keeps the CPU busy when the data asks for it.
function lookup(data) {
  return data.missing.value;
}

function hello(event) {
  const data = event.data;
  if (typeof data === 'object' && data !== null) {
    if (data.fail) {
      return lookup(data);
    }
    if (data.reject) {
      return Promise.reject(new Error(`async failure: ${data.reject}`));
    }
    if (data.busy) {
      const until = Date.now() + data.busy * 1000;
      while (Date.now() < until);
    }
  }
  console.log(`hello called with data=${JSON.stringify(data)}`);
  const empty = typeof data === 'object' && data !== null && Object.keys(data).length === 0;
  return empty ? 'hello world' : data;
}

module.exports = { hello };
