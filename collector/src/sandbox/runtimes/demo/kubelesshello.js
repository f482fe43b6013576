'use strict';

module.exports = {
  hello: function (event, context) {
    const name = event.data.name.trim();
    console.log(`saying hello to ${name} from ${context['function-name']}`);
    return `Hello ${name}!`;
  },
};
