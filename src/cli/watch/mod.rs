//! `hld watch FILE`: render on every save of the design or of a file it imports, write
//! OUT, and serve a live page on 127.0.0.1 (docs/cli.md).
//!
//! Editors save in several ways: in place, truncate-and-write, a temporary file renamed
//! over the original, delete-then-create. Watching the *directories* of the design's
//! files (not the files, whose inodes a rename replaces) sees all of them; events are
//! filtered by path and debounced (a quiet window), then one rebuild runs.

mod server;

use crate::cli::output::{errln, outln};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use clap::Args;
use notify::{RecursiveMode, Watcher};

use super::Outcome;
use super::files::{Input, file_identity, refuse_input_as_output, write_atomically};
use super::render::{Built, DrawArgs, Findings, build, settings};
use crate::diagnostics::{Summary, json_report};
use hld_render::{self, Format};
use hld_syntax::diagnostics::shown_path;
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
        errln!("error: {message}");
        return Outcome::Failure;
    }
    let shared = Arc::new(Shared::default());
    let port = match server::serve(args.port, shared.clone()) {
        Ok(port) => port,
        Err(error) => {
            errln!("error: cannot serve on 127.0.0.1:{}: {error}", args.port);
            return Outcome::Failure;
        }
    };
    let (sender, receiver) = mpsc::channel();
    let stop = sender.clone();
    if let Err(error) = ctrlc::set_handler(move || {
        let _ = stop.send(Message::Stop);
    }) {
        errln!("error: cannot handle Ctrl-C: {error}");
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
            errln!("error: cannot watch files: {error}");
            return Outcome::Failure;
        }
    };
    let url = format!("http://127.0.0.1:{port}/");
    outln!(
        "hld watch: {} → {}",
        shown_path(&args.file),
        shown_path(&output)
    );
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
        watched: BTreeMap::new(),
        files: BTreeSet::new(),
        awaited_dirs: BTreeSet::new(),
        newly_watched: false,
        revision: 0,
        previous: None,
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
    /// The directories watched, with the device and inode each had then.
    watched: BTreeMap<PathBuf, (u64, u64)>,
    /// The design's files (absolute): the root, its imports, their symlinks' targets.
    files: BTreeSet<PathBuf>,
    /// Directories on the way to a file that do not exist yet: their creation counts.
    awaited_dirs: BTreeSet<PathBuf>,
    /// Whether the last build started watching a directory.
    newly_watched: bool,
    revision: u64,
    /// The last picture drawn: the next is drawn near it, so a save moves little else.
    previous: Option<Arc<hld_render::scene::Previous>>,
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
        paths
            .iter()
            .any(|p| self.files.contains(p) || self.awaited_dirs.contains(p))
    }

    /// Builds, publishes, and builds again (a few times at most) while a file the
    /// build missed has appeared in a directory watched only since: its creation
    /// happened before the watch and no event will tell of it.
    fn rebuild(&mut self) {
        for _ in 0..3 {
            let built = self.build_and_publish();
            let missed = built.compilation.unread_imports.iter().any(|p| p.is_file())
                || built
                    .compile_errors()
                    .any(|(_, d)| d.code == crate::diagnostics::code::IO)
                    && self.file.is_file();
            if !(self.newly_watched && missed) {
                return;
            }
        }
    }

    fn build_and_publish(&mut self) -> Built {
        let started = Instant::now();
        let built = build(
            &Input::File(self.file.clone()),
            self.draw.config.as_deref(),
            Findings::Shown,
        );
        self.revision += 1;
        let previous = self.shared.current();
        let (errors, warnings) = count(&built);
        let mut snapshot = Snapshot {
            svg: previous.svg,
            views: previous.views,
            views_json: previous.views_json,
            diagnostics: Arc::new(diagnostics_json(&built)),
            ok: false,
            errors,
            warnings,
            revision: self.revision,
        };
        if built.can_draw() {
            let mut settings = settings(&self.draw, &built, Format::Svg, 1.0);
            settings.options.previous = self.previous.clone();
            match hld_render::render_near(&built.compilation, &settings) {
                Ok((bytes, drawn)) => {
                    self.previous = Some(Arc::new(drawn));
                    // An import added since the start may be the output now.
                    let written = refuse_input_as_output(&self.output, built.input_paths())
                        .and_then(|()| {
                            write_atomically(&self.output, &bytes).map_err(|error| {
                                format!("cannot write `{}`: {error}", shown_path(&self.output))
                            })
                        });
                    if let Err(message) = written {
                        errln!("error: {message}");
                    }
                    snapshot.svg = Some(Arc::new(String::from_utf8_lossy(&bytes).into_owned()));
                    snapshot.ok = true;
                    let (views, json) = views(&built, &settings);
                    snapshot.views = Arc::new(views);
                    snapshot.views_json = Arc::new(json);
                }
                Err(error) => errln!("error: {error}"),
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
        self.newly_watched = self.watch(&built);
        self.shared.publish(snapshot);
        built
    }

    /// Watches the directories of the design's files as this build resolved them: the
    /// root, its imports (read or not: a missing one is waited for), and the targets of
    /// those that are symlinks. A directory that does not exist is waited for in its
    /// nearest existing ancestor; one deleted and made again (another inode) is watched
    /// anew. Returns whether a directory is watched that was not before.
    fn watch(&mut self, built: &Built) -> bool {
        let files = built
            .compilation
            .sources
            .iter()
            .map(|f| f.path.clone())
            .chain(built.compilation.unread_imports.iter().cloned())
            .chain([self.file.clone()]);
        self.files.clear();
        self.awaited_dirs.clear();
        let mut needed = BTreeMap::new();
        for file in files.flat_map(with_symlink_target) {
            let Some(place) = locate(&file) else {
                continue;
            };
            self.files.insert(place.file);
            self.awaited_dirs.extend(place.missing_dirs);
            needed.insert(place.dir, place.identity);
        }
        let stale: Vec<PathBuf> = self
            .watched
            .iter()
            .filter(|(dir, identity)| needed.get(*dir) != Some(*identity))
            .map(|(dir, _)| dir.clone())
            .collect();
        for dir in stale {
            // The kernel may have dropped the watch with the directory already.
            let _ = self.watcher.unwatch(&dir);
            self.watched.remove(&dir);
        }
        let mut added = false;
        for (dir, identity) in needed {
            if self.watched.contains_key(&dir) {
                continue;
            }
            match self.watcher.watch(&dir, RecursiveMode::NonRecursive) {
                Ok(()) => {
                    self.watched.insert(dir, identity);
                    added = true;
                }
                Err(error) => errln!("warning: cannot watch `{}`: {error}", shown_path(&dir)),
            }
        }
        added
    }
}

/// A file, and the file it points to when it is a symlink (edits go there).
fn with_symlink_target(file: PathBuf) -> Vec<PathBuf> {
    let is_link = std::fs::symlink_metadata(&file).is_ok_and(|m| m.file_type().is_symlink());
    match file.canonicalize() {
        Ok(target) if is_link => vec![file, target],
        _ => vec![file],
    }
}

/// Where a file's changes are seen.
struct Place {
    /// The file's directory, or its nearest existing ancestor (canonical, so it
    /// matches the paths events carry).
    dir: PathBuf,
    /// That directory's device and inode.
    identity: (u64, u64),
    /// The file's absolute path; the file itself may not exist right now.
    file: PathBuf,
    /// The directories between `dir` and the file that do not exist yet.
    missing_dirs: Vec<PathBuf>,
}

fn locate(file: &Path) -> Option<Place> {
    let name = file.file_name()?;
    let mut dir = match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut missing = Vec::new();
    let existing = loop {
        match dir.canonicalize() {
            Ok(existing) => break existing,
            Err(_) => {
                missing.push(dir.file_name()?.to_owned());
                dir = match dir.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
                    _ => PathBuf::from("."),
                };
            }
        }
    };
    let identity = file_identity(&std::fs::metadata(&existing).ok()?);
    let mut path = existing.clone();
    let mut missing_dirs = Vec::new();
    for component in missing.iter().rev() {
        path.push(component);
        missing_dirs.push(path.clone());
    }
    path.push(name);
    Some(Place {
        dir: existing,
        identity,
        file: path,
        missing_dirs,
    })
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
        errln!("no browser found ({opener}); open {url} yourself");
    }
}

/// Every flow and scenario of the design drawn over it (`/diagram.svg?flow=ID`), each
/// flow as a sequence diagram (`?flow=ID&as=sequence`), and
/// `/views`' list of them: `{"flows": [{"id", "label"}], "scenarios": [...]}`.
fn views(built: &Built, settings: &hld_render::Settings) -> (BTreeMap<String, String>, String) {
    let model = &built.compilation.model;
    let (keys, focuses): (Vec<String>, Vec<hld_render::Focus>) = model
        .flows
        .iter()
        .enumerate()
        .map(|(i, f)| (format!("flow={}", f.id), hld_render::Focus::Flow(i)))
        .chain(
            model
                .scenarios
                .iter()
                .enumerate()
                .map(|(i, s)| (format!("scenario={}", s.id), hld_render::Focus::Scenario(i))),
        )
        .unzip();
    let drawn =
        hld_render::render_views(&built.compilation, settings, &focuses).unwrap_or_default();
    let mut views: BTreeMap<String, String> = keys
        .into_iter()
        .zip(drawn)
        .map(|(key, bytes)| (key, String::from_utf8_lossy(&bytes).into_owned()))
        .collect();
    // Each flow as a sequence diagram too (`?flow=ID&as=sequence`).
    let sequences = hld_render::sequence::render_all(model, settings.theme);
    for (flow, sequence) in model.flows.iter().zip(sequences) {
        views.insert(format!("sequence={}", flow.id), sequence);
    }
    // A timed scenario is also played over ten minutes: its charts sit under it.
    let facts = hld_analysis::facts::Facts::new(model);
    for scenario in model
        .scenarios
        .iter()
        .filter(|s| hld_analysis::simulate::is_timed(s))
    {
        let run_for = hld_analysis::simulate::Settings::default();
        if let Ok(run) = hld_analysis::simulate::simulate(model, &facts, Some(scenario), run_for) {
            let title = format!("scenario {}: 10 minutes in 1s steps", scenario.id);
            let charts = hld_render::charts::charts(&run, &title, settings.theme);
            views.insert(format!("simulation={}", scenario.id), charts);
        }
    }
    let entry = |id: &str, label: &Option<String>| serde_json::json!({ "id": id, "label": label });
    let json = serde_json::json!({
        "flows": model.flows.iter().map(|f| entry(&f.id, &f.label)).collect::<Vec<_>>(),
        "scenarios": model.scenarios.iter().map(|s| {
            let mut e = entry(&s.id, &s.label);
            e["timed"] = serde_json::Value::Bool(hld_analysis::simulate::is_timed(s));
            e
        }).collect::<Vec<_>>(),
    });
    (views, json.to_string())
}
