//! The main loop: the handshake, open documents and their analyses, and dispatch.
//!
//! One thread reads the client's messages and answers every request from the newest analysis
//! of the document (or, while the newest text does not load, the last one that did), mapping
//! positions across the lines that changed since. Analyses run on the worker (see
//! [`super::snapshot`]); drawing the preview runs on a thread of its own. A panic in a handler
//! is caught, logged, and answered with an error: the server keeps running.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Sender, select};
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    HoverProviderCapability, OneOf, PositionEncodingKind, PublishDiagnosticsParams, RenameOptions,
    SaveOptions, ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use serde_json::Value;

use super::diagnostics;
use super::snapshot::{self, Done, Job, Snapshot, log};
use super::text::{Encoding, LineIndex, Shift, apply_change};

/// How long a document must be quiet before it is analysed (`initializationOptions.debounceMs`
/// changes it).
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// One open document.
pub(super) struct Doc {
    pub text: String,
    pub lines: LineIndex,
    pub version: i32,
    /// A display name for findings (the URI's last segment).
    pub path: String,
    /// Counts changes; only the analysis of the newest one is used.
    generation: u64,
    /// The generation `latest` is of.
    analyzed: u64,
    /// The newest analysis, loaded or not.
    pub latest: Option<Arc<Snapshot>>,
    /// The newest analysis that loaded.
    pub good: Option<Arc<Snapshot>>,
    /// Requests that wait for the newest text's analysis (previews after a save).
    waiting: Vec<Request>,
}

impl Doc {
    /// The analysis to answer from: the newest if it loaded, else the last that did; with the
    /// mapping of its offsets to the editor's text.
    pub fn snapshot(&self) -> Option<(Arc<Snapshot>, Shift)> {
        let snap = self
            .latest
            .as_ref()
            .filter(|s| s.loaded())
            .or(self.good.as_ref())?
            .clone();
        let shift = Shift::between(snap.text(), &self.text);
        Some((snap, shift))
    }

    /// Whether the newest text has been analysed.
    pub fn is_current(&self) -> bool {
        self.analyzed == self.generation
    }
}

pub(super) struct Server {
    pub sender: Sender<Message>,
    pub encoding: Encoding,
    /// Open documents by URI (as text: `Uri` hashes its text anyway).
    pub docs: HashMap<String, Doc>,
    jobs: Sender<Job>,
    debounce: Duration,
}

/// Run the server on standard input and output until the client says `exit`.
///
/// # Errors
/// When the client breaks the protocol (the handshake, or a malformed message).
pub fn run() -> Result<(), crate::Error> {
    let (connection, io) = Connection::stdio();
    let served = serve(&connection);
    drop(connection);
    let joined = io.join();
    served?;
    joined.map_err(|e| crate::Error::Invalid(format!("language server: {e}")))
}

/// Serve one connection.
///
/// # Errors
/// When the client breaks the protocol.
pub fn serve(connection: &Connection) -> Result<(), crate::Error> {
    let protocol =
        |e: lsp_server::ProtocolError| crate::Error::Invalid(format!("language server: {e}"));
    let (id, params) = connection.initialize_start().map_err(protocol)?;
    let encoding = negotiate(&params);
    let debounce = params
        .pointer("/initializationOptions/debounceMs")
        .and_then(Value::as_u64)
        .map_or(DEBOUNCE, Duration::from_millis);
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": ServerInfo {
            name: "archflow".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        },
    });
    connection.initialize_finish(id, result).map_err(protocol)?;
    let (jobs, done) = snapshot::spawn();
    let mut server = Server {
        sender: connection.sender.clone(),
        encoding,
        docs: HashMap::new(),
        jobs,
        debounce,
    };
    loop {
        select! {
            recv(connection.receiver) -> msg => {
                let Ok(msg) = msg else { return Ok(()) };
                match msg {
                    Message::Request(req) => {
                        if connection.handle_shutdown(&req).map_err(protocol)? {
                            return Ok(());
                        }
                        server.request(&req);
                    }
                    Message::Notification(n) if n.method == "exit" => return Ok(()),
                    Message::Notification(n) => server.notification(n),
                    Message::Response(_) => {}
                }
            }
            recv(done) -> finished => {
                if let Ok(finished) = finished {
                    server.finished(finished);
                }
            }
        }
    }
}

/// UTF-8 when the client offers it, else the protocol's UTF-16.
fn negotiate(params: &Value) -> Encoding {
    let offered = params
        .pointer("/capabilities/general/positionEncodings")
        .and_then(Value::as_array);
    if offered.is_some_and(|list| list.iter().any(|e| e.as_str() == Some("utf-8"))) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: lsp_types::WorkDoneProgressOptions::default(),
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".into(), " ".into(), "[".into()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        experimental: Some(serde_json::json!({
            "archflow": {"preview": super::preview::PREVIEW, "focus": super::preview::FOCUS, "explain": super::preview::EXPLAIN}
        })),
        ..ServerCapabilities::default()
    }
}

impl Server {
    pub fn send(&self, msg: impl Into<Message>) {
        if self.sender.send(msg.into()).is_err() {
            log("the client has gone; dropping a message");
        }
    }

    fn notification(&mut self, n: Notification) {
        let method = n.method.clone();
        let handled = catch_unwind(AssertUnwindSafe(|| match method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = n.extract::<DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD) {
                    self.open(p);
                }
            }
            DidChangeTextDocument::METHOD => {
                match n.extract::<DidChangeTextDocumentParams>(DidChangeTextDocument::METHOD) {
                    Ok(p) => self.change(p),
                    Err(e) => log(&format!("ignoring a malformed change: {e}")),
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = n.extract::<DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                {
                    self.close(&p.text_document.uri);
                }
            }
            _ => {}
        }));
        if handled.is_err() {
            log(&format!(
                "handling `{method}` panicked (see above); carrying on"
            ));
        }
    }

    fn open(&mut self, p: DidOpenTextDocumentParams) {
        let doc = p.text_document;
        let path = doc
            .uri
            .as_str()
            .rsplit('/')
            .next()
            .unwrap_or("architecture.yaml")
            .to_owned();
        let entry = Doc {
            lines: LineIndex::new(&doc.text),
            text: doc.text,
            version: doc.version,
            path,
            generation: 1,
            analyzed: 0,
            latest: None,
            good: None,
            waiting: Vec::new(),
        };
        self.docs.insert(doc.uri.as_str().to_owned(), entry);
        // A newly opened document is analysed at once.
        self.schedule(&doc.uri, Instant::now());
    }

    fn change(&mut self, p: DidChangeTextDocumentParams) {
        let encoding = self.encoding;
        let Some(doc) = self.docs.get_mut(p.text_document.uri.as_str()) else {
            return;
        };
        for change in p.content_changes {
            match change.range {
                Some(range) => {
                    apply_change(&mut doc.text, &doc.lines, range, &change.text, encoding);
                }
                None => doc.text = change.text,
            }
            doc.lines = LineIndex::new(&doc.text);
        }
        doc.version = p.text_document.version;
        doc.generation += 1;
        let due = Instant::now() + self.debounce;
        self.schedule(&p.text_document.uri, due);
    }

    fn close(&mut self, uri: &Uri) {
        if let Some(doc) = self.docs.remove(uri.as_str()) {
            for req in doc.waiting {
                self.send(Response::new_err(
                    req.id,
                    lsp_server::ErrorCode::RequestFailed as i32,
                    "the document was closed".to_owned(),
                ));
            }
        }
        self.publish(uri.clone(), Vec::new(), None);
    }

    fn schedule(&self, uri: &Uri, due: Instant) {
        let Some(doc) = self.docs.get(uri.as_str()) else {
            return;
        };
        let job = Job {
            uri: uri.clone(),
            path: doc.path.clone(),
            version: doc.version,
            generation: doc.generation,
            text: doc.text.clone(),
            due,
        };
        if self.jobs.send(job).is_err() {
            log("the analysis thread has stopped; findings will not be updated");
        }
    }

    /// An analysis finished: publish its findings if its text is still the newest.
    fn finished(&mut self, done: Done) {
        let encoding = self.encoding;
        let Some(doc) = self.docs.get_mut(done.uri.as_str()) else {
            return;
        };
        if done.generation != doc.generation {
            return; // A newer change is on its way: this result is stale.
        }
        doc.analyzed = done.generation;
        let mut publish = None;
        if let Some(snap) = &done.snapshot
            && std::env::var_os("ARCHFLOW_LSP_TIMINGS").is_some()
        {
            log(&format!("analysis phases: {:?}", snap.phases));
        }
        let mut old = Vec::new();
        if let Some(snap) = done.snapshot {
            if snap.loaded() {
                old.push(doc.good.replace(snap.clone()));
            }
            publish = Some((
                diagnostics::convert(&snap, &done.uri, encoding),
                snap.version,
            ));
            old.push(doc.latest.replace(snap));
        }
        // Freeing a large analysis takes a while: not on this thread, which answers requests.
        if old.iter().any(Option::is_some) {
            let _ = std::thread::Builder::new()
                .name("archflow-free".to_owned())
                .spawn(move || {
                    snapshot::background();
                    drop(old);
                });
        }
        let waiting = std::mem::take(&mut doc.waiting);
        if let Some((diags, version)) = publish {
            self.publish(done.uri.clone(), diags, Some(version));
        }
        if std::env::var_os("ARCHFLOW_LSP_TIMINGS").is_some() {
            log(&format!(
                "analysed {} in {:?}",
                done.uri.as_str(),
                done.took
            ));
        }
        for req in waiting {
            self.request(&req);
        }
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(
            PublishDiagnostics::METHOD.to_owned(),
            params,
        ));
    }

    /// Answer a request; a panic while answering is answered with an internal error.
    pub fn request(&mut self, req: &Request) {
        let id = req.id.clone();
        let method = req.method.clone();
        let started = Instant::now();
        let answered = catch_unwind(AssertUnwindSafe(|| self.dispatch(req)));
        if std::env::var_os("ARCHFLOW_LSP_TIMINGS").is_some() {
            log(&format!(
                "{method} took {:?} on the main thread",
                started.elapsed()
            ));
        }
        match answered {
            Ok(Some(response)) => self.send(response),
            Ok(None) => {}
            Err(_) => {
                log(&format!(
                    "answering `{method}` panicked (see above); carrying on"
                ));
                self.send(Response::new_err(
                    id,
                    lsp_server::ErrorCode::InternalError as i32,
                    format!("archflow could not answer `{method}` (an internal error; see the server log)"),
                ));
            }
        }
    }

    /// Keep a request until the document's newest text has been analysed; `true` when it was
    /// kept.
    pub fn defer_until_current(&mut self, uri: &Uri, req: &Request) -> bool {
        match self.docs.get_mut(uri.as_str()) {
            Some(doc) if !doc.is_current() => {
                doc.waiting.push(req.clone());
                true
            }
            _ => false,
        }
    }
}

/// An error response.
pub(super) fn failed(id: RequestId, message: impl Into<String>) -> Response {
    Response::new_err(
        id,
        lsp_server::ErrorCode::RequestFailed as i32,
        message.into(),
    )
}
