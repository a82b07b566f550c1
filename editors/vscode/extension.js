// The hld extension: starts `hld lsp` (the `hld.path` setting) as the language server
// for .hld files, and shows the live diagram beside the editor, drawn by the server
// (`hld/render`) whenever the design changes.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function start() {
  const command = vscode.workspace.getConfiguration("hld").get("path") || "hld";
  client = new LanguageClient(
    "hld",
    "hld",
    { command, args: ["lsp"] },
    { documentSelector: [{ scheme: "file", language: "hld" }] },
  );
  return client.start();
}

function activate(context) {
  start();
  context.subscriptions.push(
    vscode.commands.registerCommand("hld.restart", async () => {
      await client?.stop();
      await start();
    }),
    vscode.commands.registerCommand("hld.preview", () => preview(context)),
    { dispose: () => client?.stop() },
  );
}

function preview(context) {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "hld") return;
  const document = editor.document;
  const panel = vscode.window.createWebviewPanel(
    "hld.preview",
    `Preview ${document.fileName.split("/").pop()}`,
    vscode.ViewColumn.Beside,
    { enableScripts: false },
  );
  const dark = () => vscode.window.activeColorTheme.kind === vscode.ColorThemeKind.Dark;
  let timer;
  const redraw = async () => {
    const answer = await client.sendRequest("hld/render", {
      textDocument: { uri: document.uri.toString() },
      theme: dark() ? "dark" : "light",
    });
    if (answer?.svg) panel.webview.html = page(answer.svg);
  };
  const changes = vscode.workspace.onDidChangeTextDocument((event) => {
    if (event.document !== document) return;
    clearTimeout(timer);
    timer = setTimeout(redraw, 150);
  });
  panel.onDidDispose(() => changes.dispose(), null, context.subscriptions);
  redraw();
}

// The diagram only: no script runs in the webview.
function page(svg) {
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>body { margin: 0; padding: 8px; } svg { max-width: 100%; height: auto; }</style>
</head><body>${svg}</body></html>`;
}

function deactivate() {
  return client?.stop();
}

module.exports = { activate, deactivate };
