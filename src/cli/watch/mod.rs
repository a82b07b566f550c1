//! `hld watch FILE`: render on every save of the design or of a file it imports, write
//! OUT, and serve a live page on 127.0.0.1 (cli.md).
//!
//! Editors save in several ways: in place, truncate-and-write, a temporary file renamed
//! over the original, delete-then-create. Watching the *directories* of the design's
//! files (not the files, whose inodes a rename replaces) sees all of them; events are
//! filtered by path and debounced (a quiet window), then one rebuild runs.

mod server;

use crate::cli::output::outln;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use clap::Args;
use notify::{RecursiveMode, Watcher};

use super::Outcome;
use super::files::{Input, refuse_input_as_output, write_atomically};
use super::render::{Built, DrawArgs, build, settings};
use crate::diagnostics::{Summary, json_report};
use crate::render::{self, Format};
use server::{Shared, Snapshot};

/// After the first event, wait until the files have been quiet this long: one save is
/// often several events (truncate, write, close; or write, rename).
const QUIET: Duration = Duration::from_millis(20);
/// But never wait longer than this after the first event.
const MAX_WAIT: Duration = Duration::from_millis(150);

#[derive(Args)]
pub struct WatchArgs {
    /// The design to watch
    file: PathBuf,
    /// Where to write the SVG (default: FILE with `.svg`)
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The port to serve on, on 127.0.0.1 (0: any free port)
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Open the page in a browser
    #[arg(long)]
    open: bool,
    #[command(flatten)]
    draw: DrawArgs,
}

enum Message {
    Changed(Vec<PathBuf>),
    Stop,
}

pub fn run(args: WatchArgs) -> Outcome {
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.file.with_extension("svg"));
    if let Err(message) = refuse_input_as_output(&output, [args.file.as_path()]) {
        eprintln!("error: {message}");
        return Outcome::Failure;
    }
    let shared = Arc::new(Shared::default());
    let port = match server::serve(args.port, shared.clone()) {
        Ok(port) => port,
        Err(error) => {
            eprintln!("error: cannot serve on 127.0.0.1:{}: {error}", args.port);
            return Outcome::Failure;
        }
    };
    let (sender, receiver) = mpsc::channel();
    let stop = sender.clone();
    if let Err(error) = ctrlc::set_handler(move || {
        let _ = stop.send(Message::Stop);
    }) {
        eprintln!("error: cannot handle Ctrl-C: {error}");
        return Outcome::Failure;
    }
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reads are events too (our own build opens the file): only changes count.
        if let Ok(event) = event
            && changes_content(&event.kind)
        {
            let _ = sender.send(Message::Changed(event.paths));
        }
    });
    let watcher = match watcher {
        Ok(watcher) => watcher,
        Err(error) => {
            eprintln!("error: cannot watch files: {error}");
            return Outcome::Failure;
        }
    };
    let url = format!("http://127.0.0.1:{port}/");
    outln!("hld watch: {} → {}", args.file.display(), output.display());
    outln!("serving {url} (Ctrl-C to stop)");
    if args.open {
        open_browser(&url);
    }
    let mut session = Session {
        file: args.file,
        output,
        draw: args.draw,
        shared: shared.clone(),
        watcher,
        watched_dirs: BTreeSet::new(),
        files: BTreeSet::new(),
        revision: 0,
    };
    session.rebuild();
    session.wait_for_changes(&receiver);
    shared.stop();
    outln!("hld watch: stopped");
    Outcome::Success
}

struct Session {
    file: PathBuf,
    output: PathBuf,
    draw: DrawArgs,
    shared: Arc<Shared>,
    watcher: notify::RecommendedWatcher,
    watched_dirs: BTreeSet<PathBuf>,
    /// The design's files (absolute): the root and everything it imports.
    files: BTreeSet<PathBuf>,
    revision: u64,
}

impl Session {
    fn wait_for_changes(&mut self, receiver: &Receiver<Message>) {
        while let Ok(message) = receiver.recv() {
            match message {
                Message::Stop => return,
                Message::Changed(paths) if self.concerns(&paths) => {
                    if !debounce(receiver) {
                        return;
                    }
                    self.rebuild();
                }
                Message::Changed(_) => {}
            }
        }
    }

    fn concerns(&self, paths: &[PathBuf]) -> bool {
        paths.iter().any(|p| self.files.contains(p))
    }

    fn rebuild(&mut self) {
        let started = Instant::now();
        let built = build(&Input::File(self.file.clone()), self.draw.config.as_deref());
        self.revision += 1;
        let previous = self.shared.current();
        let (errors, warnings) = count(&built);
        let mut snapshot = Snapshot {
            svg: previous.svg,
            diagnostics: Arc::new(diagnostics_json(&built)),
            ok: false,
            errors,
            warnings,
            revision: self.revision,
        };
        if built.can_draw() {
            let settings = settings(&self.draw, &built, Format::Svg, 1.0);
            match render::render(&built.compilation, &settings) {
                Ok(bytes) => {
                    // An import added since the start may be the output now.
                    let written = refuse_input_as_output(&self.output, built.input_paths())
                        .and_then(|()| {
                            write_atomically(&self.output, &bytes).map_err(|error| {
                                format!("cannot write `{}`: {error}", self.output.display())
                            })
                        });
                    if let Err(message) = written {
                        eprintln!("error: {message}");
                    }
                    snapshot.svg = Some(Arc::new(String::from_utf8_lossy(&bytes).into_owned()));
                    snapshot.ok = true;
                }
                Err(error) => eprintln!("error: {error}"),
            }
        } else {
            built.print_compile_errors(false);
        }
        outln!(
            "revision {}: {}, {errors} errors, {warnings} warnings ({} ms)",
            self.revision,
            if snapshot.ok {
                "drawn"
            } else {
                "does not compile; kept the last diagram"
            },
            started.elapsed().as_millis()
        );
        // Watch before publishing: whoever reacts to this update and saves again must
        // be seen (an import added by this save is not watched until now).
        self.watch(&built);
        self.shared.publish(snapshot);
    }

    /// Watches the directories of the design's files, as re-resolved by this build: an
    /// import added since is watched from now on.
    fn watch(&mut self, built: &Built) {
        let mut files: Vec<PathBuf> = built
            .compilation
            .sources
            .iter()
            .map(|f| f.path.clone())
            .collect();
        files.push(self.file.clone());
        self.files.clear();
        for file in files {
            let Some((dir, absolute)) = locate(&file) else {
                continue;
            };
            self.files.insert(absolute);
            if self.watched_dirs.insert(dir.clone())
                && let Err(error) = self.watcher.watch(&dir, RecursiveMode::NonRecursive)
            {
                eprintln!("warning: cannot watch `{}`: {error}", dir.display());
                self.watched_dirs.remove(&dir);
            }
        }
    }
}

/// A file's directory (canonical, so it matches the paths events carry) and its
/// absolute path in that directory; the file itself may not exist right now.
fn locate(file: &Path) -> Option<(PathBuf, PathBuf)> {
    let name = file.file_name()?;
    let dir = match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let dir = dir.canonicalize().ok()?;
    let absolute = dir.join(name);
    Some((dir, absolute))
}

fn changes_content(kind: &notify::EventKind) -> bool {
    use notify::EventKind;
    matches!(
        kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
    )
}

/// Waits for a quiet window after a change; false when asked to stop meanwhile.
fn debounce(receiver: &Receiver<Message>) -> bool {
    let deadline = Instant::now() + MAX_WAIT;
    loop {
        let wait = QUIET.min(deadline.saturating_duration_since(Instant::now()));
        match receiver.recv_timeout(wait) {
            Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return false,
            Ok(Message::Changed(_)) if Instant::now() < deadline => continue,
            Ok(Message::Changed(_)) | Err(RecvTimeoutError::Timeout) => return true,
        }
    }
}

fn count(built: &Built) -> (usize, usize) {
    let mut summary = Summary::default();
    built
        .diagnostics()
        .for_each(|(_, d)| summary.count(d.severity));
    (summary.errors, summary.warnings)
}

fn diagnostics_json(built: &Built) -> String {
    let findings: Vec<_> = built.diagnostics().collect();
    json_report(&findings, built.compilation.sources.iter().count())
}

/// Opens the page with the platform's opener, where there is one.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("no browser found ({opener}); open {url} yourself");
    }
}
