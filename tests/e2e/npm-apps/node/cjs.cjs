// `parlo/client` from a CommonJS script (`require` of the ES module: Node.js ≥ 20.19):
// creates the tag named by its third argument and prints it as JSON.
// Usage: node cjs.cjs <server URL> <management key> <tag name>
const { ParloClient } = require('parlo/client');

const [baseUrl, apiKey, name] = process.argv.slice(2);
new ParloClient({ baseUrl, apiKey }).tags
  .create(name)
  .then((tag) => console.log(JSON.stringify(tag)))
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
