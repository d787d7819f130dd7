// Used by .ci/schema-check.
// A minimal LSP client: opens one YAML file in yaml-language-server and prints the diagnostics it publishes.
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const file = path.resolve(process.argv[2]);
const server = spawn(process.execPath, [require.resolve('yaml-language-server/bin/yaml-language-server'), '--stdio']);
let buffer = Buffer.alloc(0);
let id = 0;
function send(message) {
  const body = JSON.stringify(Object.assign({ jsonrpc: '2.0' }, message));
  server.stdin.write('Content-Length: ' + Buffer.byteLength(body) + '\r\n\r\n' + body);
}
server.stdout.on('data', chunk => {
  buffer = Buffer.concat([buffer, chunk]);
  while (true) {
    const header = buffer.indexOf('\r\n\r\n');
    if (header < 0) return;
    const length = parseInt(/Content-Length: (\d+)/.exec(buffer.slice(0, header).toString())[1]);
    if (buffer.length < header + 4 + length) return;
    const message = JSON.parse(buffer.slice(header + 4, header + 4 + length).toString());
    buffer = buffer.slice(header + 4 + length);
    if (message.method === 'textDocument/publishDiagnostics' && message.params.uri.endsWith(path.basename(file))) {
      for (const d of message.params.diagnostics) {
        console.log(`${path.basename(file)}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message.replace(/\n/g, ' ')}`);
      }
      console.log(`(${message.params.diagnostics.length} diagnostics)`);
      process.exit(message.params.diagnostics.length > 0 ? 1 : 0);
    }
    if (message.id !== undefined && message.method) { // a request from the server: answer with nothing
      send({ id: message.id, result: message.method === 'workspace/configuration' ? [{ validate: true }] : null });
    }
  }
});
send({ id: ++id, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } });
send({ method: 'initialized', params: {} });
send({ method: 'workspace/didChangeConfiguration', params: { settings: { yaml: { validate: true, schemaStore: { enable: false } } } } });
send({ method: 'textDocument/didOpen', params: { textDocument: { uri: 'file://' + file, languageId: 'yaml', version: 1, text: fs.readFileSync(file, 'utf8') } } });
setTimeout(() => { console.log('no diagnostics within 30 s'); process.exit(1); }, 30000);
