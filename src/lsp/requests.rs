//! Requests: each reads the document's analysis, works in its byte spans, and maps the answer
//! back to the editor's text (see [`Doc::snapshot`]).

use std::collections::HashMap;
use std::sync::Arc;

use lsp_server::{Request, RequestId, Response};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, GotoDefinition, HoverRequest,
    PrepareRenameRequest, References, Rename, Request as _,
};
use lsp_types::{
    CodeAction, CodeActionOrCommand, CodeActionParams, CompletionItem, CompletionItemKind,
    CompletionList, CompletionParams, CompletionTextEdit, DocumentSymbol, DocumentSymbolParams,
    Documentation, GotoDefinitionParams, Hover, HoverContents, HoverParams, Location,
    MarkupContent, MarkupKind, Position, PrepareRenameResponse, Range, ReferenceParams,
    RenameParams, TextDocumentPositionParams, TextEdit, Uri, WorkspaceEdit,
};
use serde::de::DeserializeOwned;

use super::complete::{self, ItemKind};
use super::diagnostics;
use super::navigate;
use super::preview::{
    self, ExplainParams, ExplainResult, FocusParams, FocusResult, PreviewParams, PreviewResult,
};
use super::server::{Doc, Server, failed};
use super::snapshot::Snapshot;
use super::symbols::{self, Symbol};
use super::text::Shift;
use crate::diagnostic::Code;
use crate::model::Kind;
use crate::source::Span;

fn params<P: DeserializeOwned>(req: &Request) -> Result<P, Response> {
    serde_json::from_value(req.params.clone()).map_err(|e| {
        Response::new_err(
            req.id.clone(),
            lsp_server::ErrorCode::InvalidParams as i32,
            format!("invalid parameters for `{}`: {e}", req.method),
        )
    })
}

/// A result, in the shape every handler returns (`None` when it answers later, from a thread).
#[allow(clippy::unnecessary_wraps)]
fn ok(id: RequestId, value: impl serde::Serialize) -> Option<Response> {
    Some(Response::new_ok(id, value))
}

impl Server {
    pub(super) fn dispatch(&mut self, req: &Request) -> Option<Response> {
        let id = req.id.clone();
        macro_rules! with {
            ($p:ty, $f:expr) => {
                match params::<$p>(req) {
                    Ok(p) => $f(self, id, &p),
                    Err(e) => Some(e),
                }
            };
        }
        match req.method.as_str() {
            HoverRequest::METHOD => with!(HoverParams, Self::hover),
            GotoDefinition::METHOD => with!(GotoDefinitionParams, Self::definition),
            References::METHOD => with!(ReferenceParams, Self::references),
            PrepareRenameRequest::METHOD => {
                with!(TextDocumentPositionParams, Self::prepare_rename)
            }
            Rename::METHOD => with!(RenameParams, Self::rename),
            Completion::METHOD => with!(CompletionParams, Self::completion),
            CodeActionRequest::METHOD => with!(CodeActionParams, Self::code_action),
            DocumentSymbolRequest::METHOD => with!(DocumentSymbolParams, Self::symbols),
            preview::EXPLAIN => match params::<ExplainParams>(req) {
                Ok(p) => Some(explain(id, &p)),
                Err(e) => Some(e),
            },
            preview::PREVIEW => {
                let uri = match params::<PreviewParams>(req) {
                    Ok(p) => p.text_document.uri,
                    Err(e) => return Some(e),
                };
                if self.defer_until_current(&uri, req) {
                    return None;
                }
                with!(PreviewParams, Self::preview)
            }
            preview::FOCUS => with!(FocusParams, Self::focus),
            _ => Some(Response::new_err(
                id,
                lsp_server::ErrorCode::MethodNotFound as i32,
                format!("archflow does not answer `{}`", req.method),
            )),
        }
    }

    /// The document, its analysis and the analysed text's offset of `position`.
    fn locate(&self, uri: &Uri, position: Position) -> Option<(&Doc, Arc<Snapshot>, Shift, usize)> {
        let doc = self.docs.get(uri.as_str())?;
        let (snap, shift) = doc.snapshot()?;
        let offset = doc.lines.offset(&doc.text, position, self.encoding);
        let old = shift.to_old(offset)?;
        Some((doc, snap, shift, old))
    }

    /// A span of the analysed text as a range of the editor's.
    fn range(&self, doc: &Doc, shift: &Shift, span: Span) -> Option<Range> {
        let span = shift.span_to_new(span)?;
        Some(doc.lines.range(&doc.text, span, self.encoding))
    }

    fn hover(&mut self, id: RequestId, p: &HoverParams) -> Option<Response> {
        let at = &p.text_document_position_params;
        let Some((doc, snap, shift, offset)) = self.locate(&at.text_document.uri, at.position)
        else {
            return ok(id, Option::<Hover>::None);
        };
        let hover = super::hover::hover(&snap, offset)
            .map(|(text, span)| (text, self.range(doc, &shift, span)))
            .or_else(|| key_hover(doc, at.position, self.encoding).map(|t| (t, None)));
        ok(
            id,
            hover.map(|(value, range)| Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value,
                }),
                range,
            }),
        )
    }

    fn locations(&self, uri: &Uri, doc: &Doc, shift: &Shift, spans: &[Span]) -> Vec<Location> {
        spans
            .iter()
            .filter_map(|&s| {
                Some(Location {
                    uri: uri.clone(),
                    range: self.range(doc, shift, s)?,
                })
            })
            .collect()
    }

    fn definition(&mut self, id: RequestId, p: &GotoDefinitionParams) -> Option<Response> {
        let at = &p.text_document_position_params;
        let uri = at.text_document.uri.clone();
        let Some((doc, snap, shift, offset)) = self.locate(&uri, at.position) else {
            return ok(id, Vec::<Location>::new());
        };
        let spans = snap
            .index()
            .map(|i| navigate::definition(i, offset))
            .unwrap_or_default();
        ok(id, self.locations(&uri, doc, &shift, &spans))
    }

    fn references(&mut self, id: RequestId, p: &ReferenceParams) -> Option<Response> {
        let at = &p.text_document_position;
        let uri = at.text_document.uri.clone();
        let Some((doc, snap, shift, offset)) = self.locate(&uri, at.position) else {
            return ok(id, Vec::<Location>::new());
        };
        let spans = snap
            .index()
            .map(|i| navigate::references(i, offset, p.context.include_declaration))
            .unwrap_or_default();
        ok(id, self.locations(&uri, doc, &shift, &spans))
    }

    fn prepare_rename(
        &mut self,
        id: RequestId,
        p: &TextDocumentPositionParams,
    ) -> Option<Response> {
        let Some((doc, snap, shift, offset)) = self.locate(&p.text_document.uri, p.position) else {
            return Some(failed(id, "the document has not been analysed yet"));
        };
        let (Some(model), Some(index)) = (snap.analysis.model.as_ref(), snap.index()) else {
            return Some(failed(id, "the document does not load"));
        };
        match navigate::prepare_rename(model, index, snap.text(), offset) {
            Ok((span, placeholder)) => match self.range(doc, &shift, span) {
                Some(range) => ok(
                    id,
                    PrepareRenameResponse::RangeWithPlaceholder { range, placeholder },
                ),
                None => Some(failed(id, "this line changed since the last analysis")),
            },
            Err(navigate::Refused(why)) => Some(failed(id, why)),
        }
    }

    fn rename(&mut self, id: RequestId, p: &RenameParams) -> Option<Response> {
        let at = &p.text_document_position;
        let uri = at.text_document.uri.clone();
        let Some((doc, snap, shift, offset)) = self.locate(&uri, at.position) else {
            return Some(failed(id, "the document has not been analysed yet"));
        };
        let (Some(model), Some(index)) = (snap.analysis.model.as_ref(), snap.index()) else {
            return Some(failed(id, "the document does not load"));
        };
        let edits = match navigate::rename(model, index, snap.text(), offset, &p.new_name) {
            Ok(edits) => edits,
            Err(navigate::Refused(why)) => return Some(failed(id, why)),
        };
        let Some(edits) = self.text_edits(doc, &shift, &edits) else {
            return Some(failed(
                id,
                "a line to change was edited since the last analysis; try again in a moment",
            ));
        };
        ok(id, one_file_edit(uri, edits))
    }

    /// Edits of the analysed text as edits of the editor's; `None` when one cannot be mapped.
    fn text_edits(
        &self,
        doc: &Doc,
        shift: &Shift,
        edits: &[(Span, String)],
    ) -> Option<Vec<TextEdit>> {
        edits
            .iter()
            .map(|(span, new)| {
                Some(TextEdit {
                    range: self.range(doc, shift, *span)?,
                    new_text: new.clone(),
                })
            })
            .collect()
    }

    fn completion(&mut self, id: RequestId, p: &CompletionParams) -> Option<Response> {
        let at = &p.text_document_position;
        let Some(doc) = self.docs.get(at.text_document.uri.as_str()) else {
            return ok(id, Option::<CompletionList>::None);
        };
        let offset = doc.lines.offset(&doc.text, at.position, self.encoding);
        let snap = doc.snapshot().map(|(s, _)| s);
        let model = snap.as_ref().and_then(|s| s.analysis.model.as_ref());
        let (items, cut) = complete::complete(&doc.text, &doc.lines, offset, model);
        let items = items
            .into_iter()
            .map(|item| {
                let range = doc.lines.range(
                    &doc.text,
                    Span::new(item.range.0, item.range.1),
                    self.encoding,
                );
                CompletionItem {
                    label: item.label,
                    kind: Some(completion_kind(item.kind)),
                    detail: item.detail,
                    documentation: item.documentation.map(|d| {
                        Documentation::MarkupContent(MarkupContent {
                            kind: MarkupKind::Markdown,
                            value: d,
                        })
                    }),
                    sort_text: Some(format!("{}", item.rank)),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                        range,
                        new_text: item.insert,
                    })),
                    ..CompletionItem::default()
                }
            })
            .collect();
        ok(
            id,
            CompletionList {
                is_incomplete: cut,
                items,
            },
        )
    }

    fn code_action(&mut self, id: RequestId, p: &CodeActionParams) -> Option<Response> {
        let uri = p.text_document.uri.clone();
        let Some(doc) = self.docs.get(uri.as_str()) else {
            return ok(id, Vec::<CodeActionOrCommand>::new());
        };
        // Fixes come from the newest analysis, loaded or not (load errors have fixes too).
        let Some(snap) = doc.latest.clone() else {
            return ok(id, Vec::<CodeActionOrCommand>::new());
        };
        let shift = Shift::between(snap.text(), &doc.text);
        let start = doc.lines.offset(&doc.text, p.range.start, self.encoding);
        let end = doc.lines.offset(&doc.text, p.range.end, self.encoding);
        let mut actions = Vec::new();
        for d in &snap.analysis.diagnostics {
            let Some(span) = shift.span_to_new(d.primary.span) else {
                continue;
            };
            if span.end < start || span.start > end {
                continue;
            }
            let lsp_diag = diagnostics::one(&snap, &uri, d, self.encoding);
            for fix in super::actions::fixes(snap.text(), &snap.lines, d) {
                let Some(edits) = self.text_edits(doc, &shift, &fix.edits) else {
                    continue;
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title,
                    kind: Some(lsp_types::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![lsp_diag.clone()]),
                    edit: Some(one_file_edit(uri.clone(), edits)),
                    is_preferred: Some(fix.preferred),
                    ..CodeAction::default()
                }));
            }
        }
        ok(id, actions)
    }

    /// The outline, built on a thread of its own (a large model has tens of thousands of
    /// symbols), from a copy of the editor's text to map positions into.
    fn symbols(&mut self, id: RequestId, p: &DocumentSymbolParams) -> Option<Response> {
        let Some(doc) = self.docs.get(p.text_document.uri.as_str()) else {
            return ok(id, Vec::<DocumentSymbol>::new());
        };
        let Some((snap, shift)) = doc.snapshot() else {
            return ok(id, Vec::<DocumentSymbol>::new());
        };
        let editor = Editor {
            text: doc.text.clone(),
            lines: doc.lines.clone(),
            encoding: self.encoding,
            shift,
        };
        self.spawn_answer(id, move |id| {
            let Some(model) = snap.analysis.model.as_ref() else {
                return Response::new_ok(id, Vec::<DocumentSymbol>::new());
            };
            let outline = symbols::outline(model, snap.text(), &snap.lines);
            let converted: Vec<DocumentSymbol> = outline
                .into_iter()
                .filter_map(|s| editor.symbol(s))
                .collect();
            Response::new_ok(id, converted)
        });
        None
    }

    /// Draw on a thread of its own (a large model takes a moment), answering from there.
    fn preview(&mut self, id: RequestId, p: &PreviewParams) -> Option<Response> {
        let Some(doc) = self.docs.get(p.text_document.uri.as_str()) else {
            return Some(failed(id, "the document is not open"));
        };
        let latest = doc.latest.clone();
        let version = doc.version;
        let located = p.position.and_then(|pos| {
            let (snap, shift) = doc.snapshot()?;
            let offset = doc.lines.offset(&doc.text, pos, self.encoding);
            Some((snap, shift.to_old(offset)?))
        });
        let snap = doc.snapshot().map(|(s, _)| s);
        let draw = move |id| {
            let mut result = PreviewResult::default();
            let stale = latest.as_ref().filter(|l| !l.loaded());
            if let Some(bad) = stale {
                result.stale = true;
                result.message = bad
                    .analysis
                    .diagnostics
                    .first()
                    .map(|d| format!("{}: {}", d.code, d.message));
            }
            match snap.as_ref().and_then(|s| Some((s, s.drawing()?))) {
                Some((s, drawing)) => {
                    result.svg = Some(drawing.svg.clone());
                    result.version = Some(s.version);
                    if let Some((at, offset)) = &located {
                        result.focus = preview::focus(at, drawing, *offset).focus;
                    }
                }
                None if result.message.is_none() => {
                    result.message = Some(format!("version {version} has not loaded yet"));
                }
                None => {}
            }
            Response::new_ok(id, result)
        };
        self.spawn_answer(id, draw);
        None
    }

    fn focus(&mut self, id: RequestId, p: &FocusParams) -> Option<Response> {
        let Some((_, snap, _, offset)) = self.locate(&p.text_document.uri, p.position) else {
            return ok(id, FocusResult::default());
        };
        self.spawn_answer(id, move |id| {
            let result = snap
                .drawing()
                .map(|d| preview::focus(&snap, d, offset))
                .unwrap_or_default();
            Response::new_ok(id, result)
        });
        None
    }

    /// Answer from a thread of its own; a panic there is logged and answered with an error.
    fn spawn_answer(
        &self,
        id: RequestId,
        answer: impl FnOnce(RequestId) -> Response + Send + 'static,
    ) {
        let sender = self.sender.clone();
        let spawned = std::thread::Builder::new()
            .name("archflow-preview".to_owned())
            .spawn(move || {
                let again = id.clone();
                let response =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| answer(again)))
                        .unwrap_or_else(|_| {
                            super::snapshot::log("drawing the preview panicked (see above)");
                            Response::new_err(
                                id,
                                lsp_server::ErrorCode::InternalError as i32,
                                "archflow could not draw the preview".to_owned(),
                            )
                        });
                let _ = sender.send(response.into());
            });
        if let Err(e) = spawned {
            super::snapshot::log(&format!("cannot start a thread: {e}"));
        }
    }
}

/// A copy of the editor's text, to map an analysis's spans into from another thread.
struct Editor {
    text: String,
    lines: super::text::LineIndex,
    encoding: super::text::Encoding,
    shift: Shift,
}

impl Editor {
    fn range(&self, span: Span) -> Option<Range> {
        let span = self.shift.span_to_new(span)?;
        Some(self.lines.range(&self.text, span, self.encoding))
    }

    #[allow(deprecated)] // `DocumentSymbol::deprecated` must be written, as `None`.
    fn symbol(&self, s: Symbol) -> Option<DocumentSymbol> {
        let selection_range = self.range(s.selection)?;
        let range = self.range(s.range).unwrap_or(selection_range);
        let children: Vec<DocumentSymbol> = s
            .children
            .into_iter()
            .filter_map(|c| self.symbol(c))
            .collect();
        Some(DocumentSymbol {
            name: s.name,
            detail: s.detail,
            kind: s.kind,
            tags: None,
            deprecated: None,
            range,
            selection_range,
            children: (!children.is_empty()).then_some(children),
        })
    }
}

/// `archflow/explain`: a code's explanation (also takes the `archflow:/explain/A001.md` links
/// of the findings).
fn explain(id: RequestId, p: &ExplainParams) -> Response {
    let code = diagnostics::code_of_explain_uri(&p.code).unwrap_or(&p.code);
    match Code::find(code) {
        Some(code) => Response::new_ok(
            id,
            ExplainResult {
                markdown: crate::check::explanation(code).to_owned(),
            },
        ),
        None => failed(id, format!("no rule `{code}`")),
    }
}

/// Hover on a key: its description from the schema.
fn key_hover(doc: &Doc, position: Position, encoding: super::text::Encoding) -> Option<String> {
    let offset = doc.lines.offset(&doc.text, position, encoding);
    let line_no = doc.lines.line_of(offset);
    let line = doc.lines.line(&doc.text, line_no);
    let start = doc.lines.line_range(&doc.text, line_no)?.0;
    let col = offset - start;
    // The cursor must be on the key itself, before its colon.
    let content = line.trim_start().trim_start_matches("- ").trim_start();
    let key_start = line.len() - content.len();
    let colon = content.find(':')?;
    if col < key_start || col > key_start + colon {
        return None;
    }
    let key = &content[..colon];
    let ctx = super::context::at(&doc.text, &doc.lines, start + key_start + colon)?;
    let description = super::keys::key_description(&ctx.path, key)?;
    Some(format!("**{key}**\n\n{description}"))
}

/// Edits of one document (lsp-types keys them by `Uri`, whose hash is its text).
#[allow(clippy::mutable_key_type)]
fn one_file_edit(uri: Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri, edits)])),
        ..WorkspaceEdit::default()
    }
}

fn completion_kind(kind: ItemKind) -> CompletionItemKind {
    match kind {
        ItemKind::Component(k) => match k {
            Kind::Actor => CompletionItemKind::INTERFACE,
            Kind::LoadBalancer | Kind::Listener => CompletionItemKind::CLASS,
            Kind::TargetGroup => CompletionItemKind::ENUM,
            Kind::Service | Kind::Task => CompletionItemKind::MODULE,
            Kind::Container => CompletionItemKind::STRUCT,
            Kind::Volume | Kind::FileSystem => CompletionItemKind::FILE,
        },
        ItemKind::AccessPoint => CompletionItemKind::FOLDER,
        ItemKind::Rule => CompletionItemKind::CONSTANT,
        ItemKind::Value => CompletionItemKind::VALUE,
        ItemKind::Key => CompletionItemKind::PROPERTY,
    }
}
