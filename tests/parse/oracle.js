// tests/parse/oracle.js — run @cdktf/hcl2json (HashiCorp's parser as WASM)
// over every file named on the command line in one node process.  Prints one
// line per file: {"file": NAME, "json": OUTPUT} or {"file": NAME, "error": MSG}.
// NODE_PATH (or require's normal lookup) must find @cdktf/hcl2json.
const fs = require('fs');
const { parse } = require('@cdktf/hcl2json');
(async () => {
  for (const f of process.argv.slice(2)) {
    const text = fs.readFileSync(f, 'utf8');
    try {
      const out = await parse(f, text);
      console.log(JSON.stringify({ file: f, json: out }));
    } catch (e) {
      console.log(JSON.stringify({ file: f, error: String(e && e.message || e) }));
    }
  }
})();
