//! A small LSP client for the protocol tests: it starts `archflow lsp`, speaks JSON-RPC over the
//! process's standard input and output, and keeps the server's notifications until a test asks
//! for them.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any one answer may take (debug builds on a busy machine are slow).
pub const TIMEOUT: Duration = Duration::from_mins(1);

pub struct Lsp {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Notifications received while waiting for something else.
    pub notifications: Vec<Value>,
    stderr: Arc<Mutex<String>>,
    next_id: i64,
    /// What `initialize` answered.
    pub initialized: Value,
}

impl Lsp {
    /// Start the server and do the handshake with these client capabilities and initialization
    /// options.
    pub fn start_with(capabilities: &Value, options: &Value) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_archflow"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("archflow lsp starts");
        let stdout = child.stdout.take().unwrap();
        let mut stderr_pipe = child.stderr.take().unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let log = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                log.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut reader) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut lsp = Self {
            child,
            stdin,
            messages,
            notifications: Vec::new(),
            stderr,
            next_id: 1,
            initialized: Value::Null,
        };
        let answer = lsp.request(
            "initialize",
            &json!({
                "processId": null,
                "rootUri": null,
                "capabilities": capabilities,
                "initializationOptions": options,
            }),
        );
        lsp.initialized = answer["result"].clone();
        lsp.notify("initialized", &json!({}));
        lsp
    }

    /// Start with a client that offers only UTF-16 positions, and the default debounce.
    pub fn start() -> Self {
        Self::start_with(&json!({}), &Value::Null)
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn send(&mut self, msg: &Value) {
        let text = serde_json::to_string(msg).unwrap();
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{text}", text.len()).unwrap();
        stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: &Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request and wait for its response (the whole message: `result` or `error`).
    pub fn request(&mut self, method: &str, params: &Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let msg = self.next(deadline).unwrap_or_else(|| {
                panic!(
                    "no answer to `{method}` within {TIMEOUT:?}\nserver log:\n{}",
                    self.stderr()
                )
            });
            if msg.get("id") == Some(&json!(id)) && msg.get("method").is_none() {
                return msg;
            }
            if msg.get("method").is_some() && msg.get("id").is_none() {
                self.notifications.push(msg);
            }
        }
    }

    /// The `result` of a request that must succeed.
    pub fn result(&mut self, method: &str, params: &Value) -> Value {
        let answer = self.request(method, params);
        assert!(
            answer.get("error").is_none(),
            "`{method}` failed: {answer}\nserver log:\n{}",
            self.stderr()
        );
        answer["result"].clone()
    }

    fn next(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        self.messages.recv_timeout(left).ok()
    }

    /// The next notification `method` whose params satisfy `pick`, waiting up to `timeout`.
    pub fn wait_for(
        &mut self,
        method: &str,
        timeout: Duration,
        pick: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        if let Some(i) = self
            .notifications
            .iter()
            .position(|n| n["method"] == method && pick(&n["params"]))
        {
            return Some(self.notifications.remove(i)["params"].clone());
        }
        let deadline = Instant::now() + timeout;
        while let Some(msg) = self.next(deadline) {
            if msg["method"] == method && pick(&msg["params"]) {
                return Some(msg["params"].clone());
            }
            if msg.get("method").is_some() {
                self.notifications.push(msg);
            }
        }
        None
    }

    /// The diagnostics published for `uri` at `version`.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let params = self
            .wait_for("textDocument/publishDiagnostics", TIMEOUT, |p| {
                p["uri"] == uri && p["version"] == version
            })
            .unwrap_or_else(|| {
                panic!(
                    "no diagnostics for {uri} version {version}\nserver log:\n{}",
                    self.stderr()
                )
            });
        params["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Open a document (version 1) and return its diagnostics.
    pub fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            &json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
        self.diagnostics(uri, 1)
    }

    /// Replace the whole text (a full-document change) as `version`.
    pub fn replace(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            &json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}],
            }),
        );
    }

    /// Shut down as a client should; the server's exit status.
    pub fn shutdown(mut self) -> ExitStatus {
        let answer = self.request("shutdown", &Value::Null);
        assert!(answer.get("error").is_none(), "{answer}");
        self.notify("exit", &Value::Null);
        drop(self.stdin.take());
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Whether the server process is still running.
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Lsp {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// Apply LSP text edits (UTF-16 positions) to a text, as an editor would.
pub fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let start = offset(text, &e["range"]["start"]);
            let end = offset(text, &e["range"]["end"]);
            (start, end, e["newText"].as_str().unwrap().to_owned())
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_owned();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}

/// The byte offset of an LSP position (UTF-16 columns).
pub fn offset(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let rest = &text[start..];
    let mut units = 0;
    for (i, c) in rest.char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The LSP position (UTF-16 columns) of a byte offset.
pub fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[line_start..].chars().map(char::len_utf16).sum();
    json!({"line": line, "character": character})
}

/// The position of the `n`th (0-based) occurrence of `needle`, plus `delta` bytes.
pub fn position_of(text: &str, needle: &str, n: usize, delta: usize) -> Value {
    let at = text
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("`{needle}` #{n} not in the text"))
        .0;
    position(text, at + delta)
}
