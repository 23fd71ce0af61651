// The archflow extension: starts `archflow lsp` for architecture.yaml and *.archflow.yaml, opens
// the explanation a finding links to, and shows the diagram in a side panel that redraws on save
// and lights up the component under the cursor.

import * as crypto from "crypto";
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

/** The documents the server checks. */
const SELECTOR = [
  { scheme: "file", language: "yaml", pattern: "**/architecture.yaml" },
  { scheme: "file", language: "yaml", pattern: "**/*.archflow.yaml" },
];

/** What `archflow/preview` answers. */
interface PreviewResult {
  svg?: string | null;
  version?: number | null;
  stale: boolean;
  message?: string | null;
  focus?: string | null;
}

/** What `archflow/focus` answers. */
interface FocusResult {
  focus?: string | null;
  name?: string | null;
}

let client: LanguageClient | undefined;
let preview: Preview | undefined;

function isModel(doc: vscode.TextDocument): boolean {
  return (
    doc.languageId === "yaml" &&
    doc.uri.scheme === "file" &&
    /(^|[\\/])(architecture\.yaml|[^\\/]*\.archflow\.ya?ml)$/.test(doc.uri.fsPath)
  );
}

function startClient(context: vscode.ExtensionContext): LanguageClient {
  const config = vscode.workspace.getConfiguration("archflow");
  const command = config.get<string>("server.path", "archflow");
  const serverOptions: ServerOptions = {
    command,
    args: ["lsp"],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: SELECTOR,
    initializationOptions: { debounceMs: config.get<number>("debounceMs", 150) },
    outputChannelName: "archflow",
  };
  const c = new LanguageClient("archflow", "archflow", serverOptions, clientOptions);
  c.start().catch((err: unknown) => {
    void vscode.window.showErrorMessage(
      `archflow: could not start \`${command} lsp\` (${String(err)}). ` +
        "Install archflow (cargo install --path .) or set archflow.server.path.",
    );
  });
  context.subscriptions.push(c);
  return c;
}

export function activate(context: vscode.ExtensionContext): void {
  client = startClient(context);

  // Findings link their code to `archflow:/explain/<code>.md`: show the explanation.
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider("archflow", {
      async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
        if (!client) {
          return "archflow is not running.";
        }
        const result = await client.sendRequest<{ markdown: string }>("archflow/explain", {
          code: uri.toString(),
        });
        return result.markdown;
      },
    }),
  );

  context.subscriptions.push(
    vscode.commands.registerCommand("archflow.explain", async (code?: string) => {
      const wanted =
        code ?? (await vscode.window.showInputBox({ prompt: "A rule code or name, e.g. A010" }));
      if (!wanted) {
        return;
      }
      const uri = vscode.Uri.parse(`archflow:/explain/${wanted.trim()}.md`);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: true });
    }),
    vscode.commands.registerCommand("archflow.restartServer", async () => {
      if (client) {
        await client.restart();
      }
    }),
    vscode.commands.registerCommand("archflow.showPreview", () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !isModel(editor.document)) {
        void vscode.window.showInformationMessage(
          "archflow: open architecture.yaml (or a *.archflow.yaml) to preview it.",
        );
        return;
      }
      if (!preview) {
        preview = new Preview(() => {
          preview = undefined;
        });
      }
      preview.show(editor.document.uri);
      void preview.redraw(editor);
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      const editor = vscode.window.activeTextEditor;
      if (preview && isModel(doc) && editor?.document === doc) {
        void preview.redraw(editor);
      }
    }),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (preview && editor && isModel(editor.document)) {
        preview.show(editor.document.uri);
        void preview.redraw(editor);
      }
    }),
    vscode.window.onDidChangeTextEditorSelection((event) => {
      const follow = vscode.workspace
        .getConfiguration("archflow")
        .get<boolean>("preview.followCursor", true);
      if (preview && follow && isModel(event.textEditor.document)) {
        preview.follow(event.textEditor);
      }
    }),
  );
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
  }
}

/** The side panel with the diagram. */
class Preview {
  private readonly panel: vscode.WebviewPanel;
  private uri: vscode.Uri | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(onClose: () => void) {
    this.panel = vscode.window.createWebviewPanel(
      "archflow.preview",
      "archflow diagram",
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [] },
    );
    this.panel.webview.html = page(crypto.randomBytes(16).toString("base64"));
    this.panel.onDidDispose(() => {
      if (this.timer) {
        clearTimeout(this.timer);
      }
      onClose();
    });
  }

  show(uri: vscode.Uri): void {
    this.uri = uri;
    this.panel.title = `archflow: ${vscode.workspace.asRelativePath(uri)}`;
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  /** Ask for the diagram of the document (the server waits for the newest text's analysis). */
  async redraw(editor: vscode.TextEditor): Promise<void> {
    if (!client || !this.uri) {
      return;
    }
    const result = await client.sendRequest<PreviewResult>("archflow/preview", {
      textDocument: { uri: editor.document.uri.toString() },
      position: client.code2ProtocolConverter.asPosition(editor.selection.active),
    });
    void this.panel.webview.postMessage({ type: "draw", ...result });
  }

  /** Light up the component under the cursor, once the cursor has rested a moment. */
  follow(editor: vscode.TextEditor): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(async () => {
      if (!client) {
        return;
      }
      const result = await client.sendRequest<FocusResult>("archflow/focus", {
        textDocument: { uri: editor.document.uri.toString() },
        position: client.code2ProtocolConverter.asPosition(editor.selection.active),
      });
      void this.panel.webview.postMessage({ type: "focus", focus: result.focus ?? null });
    }, 150);
  }
}

/** The panel's page: the SVG goes into #diagram; a `lit` class marks the focused element. */
function page(nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { margin: 0; padding: 8px; font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
  #status { font-size: 12px; opacity: 0.8; margin-bottom: 6px; min-height: 1em; }
  #status.stale { color: var(--vscode-editorWarning-foreground); opacity: 1; }
  #diagram svg { max-width: none; height: auto; }
</style>
</head>
<body>
<div id="status">Waiting for archflow…</div>
<div id="diagram"></div>
<script nonce="${nonce}">
  const status = document.getElementById("status");
  const diagram = document.getElementById("diagram");
  let focused = null;
  function focus(id) {
    if (focused) focused.classList.remove("lit");
    focused = id ? document.getElementById(id) : null;
    if (focused) {
      focused.classList.add("lit");
      focused.scrollIntoView({ block: "center", inline: "center", behavior: "smooth" });
    }
  }
  window.addEventListener("message", (event) => {
    const msg = event.data;
    if (msg.type === "draw") {
      if (msg.svg) {
        // archflow's SVG escapes every name and label it draws.
        diagram.innerHTML = msg.svg;
        focused = null;
      }
      status.textContent = msg.stale
        ? "The text does not load (" + (msg.message || "a load error") + "): showing the last version that did."
        : msg.svg ? "Version " + msg.version + ". Redraws on save." : (msg.message || "");
      status.className = msg.stale ? "stale" : "";
      focus(msg.focus);
    } else if (msg.type === "focus") {
      focus(msg.focus);
    }
  });
</script>
</body>
</html>`;
}
