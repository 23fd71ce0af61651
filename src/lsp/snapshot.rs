//! Analyses of open documents, made on a worker thread after the text has been quiet for a
//! moment (debounced): a newer text for the same document replaces one that is still waiting,
//! and the main loop drops a result whose text has changed since.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use lsp_types::Uri;

use super::index::Index;
use super::preview::{Drawing, draw};
use super::text::LineIndex;
use crate::pipeline::Analysis;
use crate::source::Source;

/// One analysed text of one document.
#[derive(Debug)]
pub struct Snapshot {
    /// The document version the text is of.
    pub version: i32,
    pub analysis: Analysis,
    pub lines: LineIndex,
    /// Built on first use (the worker builds it right after the findings are published).
    index: OnceLock<Option<Index>>,
    /// The preview, drawn on first request.
    drawing: OnceLock<Option<Drawing>>,
    /// How long each step of [`Snapshot::build`] took (logged with `ARCHFLOW_LSP_TIMINGS`).
    pub phases: Vec<(&'static str, Duration)>,
}

impl Snapshot {
    /// Analyse a text (the whole pipeline up to the findings, then the index).
    #[must_use]
    pub fn build(path: &str, text: String, version: i32) -> Self {
        let mut phases = Vec::new();
        let mut t = Instant::now();
        let mut lap = |name: &'static str| {
            phases.push((name, t.elapsed()));
            t = Instant::now();
        };
        let source = Source::new(path, text);
        lap("source");
        let analysis = crate::pipeline::analyze_owned(source);
        lap("analyze");
        let lines = LineIndex::new(&analysis.source.text);
        lap("lines");
        Self {
            version,
            analysis,
            lines,
            index: OnceLock::new(),
            drawing: OnceLock::new(),
            phases,
        }
    }

    #[must_use]
    pub fn text(&self) -> &str {
        &self.analysis.source.text
    }

    #[must_use]
    pub fn loaded(&self) -> bool {
        self.analysis.model.is_some()
    }

    /// The index of names (`None` when the text did not load); built once.
    pub fn index(&self) -> Option<&Index> {
        self.index
            .get_or_init(|| self.analysis.model.as_ref().map(Index::build))
            .as_ref()
    }

    /// The model drawn as SVG (`None` when it did not load); drawn once.
    pub fn drawing(&self) -> Option<&Drawing> {
        self.drawing.get_or_init(|| draw(self)).as_ref()
    }
}

/// A text to analyse once it has been quiet until `due`.
pub struct Job {
    pub uri: Uri,
    pub path: String,
    pub version: i32,
    /// Counts the document's changes; a result is used only while it is the latest.
    pub generation: u64,
    pub text: String,
    pub due: Instant,
}

/// A finished analysis (`None`: it panicked; the panic was logged).
pub struct Done {
    pub uri: Uri,
    pub generation: u64,
    pub snapshot: Option<Arc<Snapshot>>,
    /// When the job's text was handed over, to measure the delay to the published findings.
    pub took: Duration,
}

/// Start the worker. It ends when the job sender is dropped.
#[must_use]
pub fn spawn() -> (Sender<Job>, Receiver<Done>) {
    let (job_tx, job_rx) = crossbeam_channel::unbounded::<Job>();
    let (done_tx, done_rx) = crossbeam_channel::unbounded::<Done>();
    let spawned = std::thread::Builder::new()
        .name("archflow-analysis".to_owned())
        .spawn(move || work(&job_rx, &done_tx));
    if let Err(e) = spawned {
        log(&format!("cannot start the analysis thread: {e}"));
    }
    (job_tx, done_rx)
}

fn work(jobs: &Receiver<Job>, done: &Sender<Done>) {
    let mut waiting: HashMap<String, Job> = HashMap::new();
    loop {
        let next_due = waiting.values().map(|j| j.due).min();
        let received = match next_due {
            None => jobs.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(due) => jobs.recv_timeout(due.saturating_duration_since(Instant::now())),
        };
        match received {
            // A newer text replaces the one waiting: only the last of a burst is analysed.
            Ok(job) => {
                waiting.insert(job.uri.as_str().to_owned(), job);
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) => {}
        }
        let now = Instant::now();
        let ready: Vec<String> = waiting
            .iter()
            .filter(|(_, j)| j.due <= now)
            .map(|(u, _)| u.clone())
            .collect();
        for uri in ready {
            let Some(job) = waiting.remove(&uri) else {
                continue;
            };
            let started = job.due;
            let (path, version) = (job.path, job.version);
            let text = job.text;
            let snapshot = catch_unwind(AssertUnwindSafe(|| {
                Arc::new(Snapshot::build(&path, text, version))
            }))
            .map_err(|_| log(&format!("analysis of {path} panicked (see above)")))
            .ok();
            let result = Done {
                uri: job.uri,
                generation: job.generation,
                snapshot: snapshot.clone(),
                took: started.elapsed(),
            };
            if done.send(result).is_err() {
                return;
            }
            // The findings are out; now the index the other requests need, on a thread of its
            // own so that the next change's analysis does not wait for it.
            if let Some(snapshot) = snapshot {
                let spawned = std::thread::Builder::new()
                    .name("archflow-index".to_owned())
                    .spawn(move || {
                        let t = Instant::now();
                        match catch_unwind(AssertUnwindSafe(|| snapshot.index().is_some())) {
                            Ok(_) if std::env::var_os("ARCHFLOW_LSP_TIMINGS").is_some() => {
                                log(&format!("indexed {path} in {:?}", t.elapsed()));
                            }
                            Ok(_) => {}
                            Err(_) => log(&format!("indexing {path} panicked (see above)")),
                        }
                    });
                if let Err(e) = spawned {
                    log(&format!("cannot start a thread: {e}"));
                }
            }
        }
    }
}

/// Give the calling thread the lowest priority: work that can wait (freeing an old analysis)
/// then leaves the cores to the next change's analysis, whose findings the user is waiting for.
/// Indexing keeps its priority: a hover may be waiting for it. Linux only (elsewhere threads
/// keep their priority).
pub fn background() {
    #[cfg(target_os = "linux")]
    {
        let lowest = 19;
        if let Err(e) = rustix::process::setpriority_process(Some(rustix::thread::gettid()), lowest)
        {
            log(&format!("cannot lower a background thread's priority: {e}"));
        }
    }
}

/// Log a line to standard error (the client shows it in its server log).
#[allow(clippy::print_stderr)]
pub fn log(message: &str) {
    eprintln!("archflow lsp: {message}");
}
