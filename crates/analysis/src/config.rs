//! `hld.toml`: rule levels by name or category, per-file overrides, render defaults
//! (docs/cli.md, "Levels and suppression"). Found upward from each design, or `--config`.
//!
//! A rule's level is decided in this order, each step overriding the one before:
//! 1. the rule's default level;
//! 2. `[lint]`: categories first, then rule names (the more specific wins); within the
//!    same specificity `allow` < `warn` < `deny`;
//! 3. each `[lint.per-file]` section whose glob matches the file, in the order written,
//!    with the same ordering inside a section;
//! 4. `--deny warnings` raises every warning to an error.
//!
//! `@allow` in the design then silences findings on the items it annotates.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};
use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

use crate::catalogue;
use crate::rule::{Level, Rule};
use hld_model::selector::Selector;
use hld_syntax::diagnostics::{Diagnostic, code};
use hld_syntax::source::{FileId, Origin, Sources, Span};

pub const FILE_NAME: &str = "hld.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    lint: RawLint,
    #[serde(default)]
    render: RenderConfig,
}

/// `[lint]`: the same lists as a per-file section, plus the sections (not flattened:
/// serde's flatten would lose the spans diagnostics point at).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLint {
    #[serde(default)]
    deny: Vec<Spanned<String>>,
    #[serde(default)]
    warn: Vec<Spanned<String>>,
    #[serde(default)]
    allow: Vec<Spanned<String>>,
    #[serde(rename = "per-file", default)]
    per_file: IndexMap<String, Spanned<RawLevels>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLevels {
    #[serde(default)]
    deny: Vec<Spanned<String>>,
    #[serde(default)]
    warn: Vec<Spanned<String>>,
    #[serde(default)]
    allow: Vec<Spanned<String>>,
}

/// `[render]`: the same values a design's header takes, read into the same types.
#[derive(Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RenderConfig {
    pub theme: Option<hld_model::values::theme::Value>,
    pub direction: Option<hld_model::values::direction::Value>,
}

/// Levels set for selectors, in the order they apply.
#[derive(Default, Debug)]
struct Levels {
    settings: Vec<(Selector, Level)>,
}

impl Levels {
    fn apply(&self, rule: &Rule, level: &mut Option<Level>) {
        let mut by_category = self
            .settings
            .iter()
            .filter(|(s, _)| *s == Selector::Category(rule.category));
        let mut by_name = self
            .settings
            .iter()
            .filter(|(s, _)| *s == Selector::Rule(rule.name));
        // Settings are stored allow, warn, deny: the last match of each specificity wins.
        if let Some((_, l)) = by_category.next_back() {
            *level = Some(*l);
        }
        if let Some((_, l)) = by_name.next_back() {
            *level = Some(*l);
        }
    }
}

#[derive(Debug)]
pub struct Config {
    /// The directory per-file globs are relative to.
    dir: PathBuf,
    lint: Levels,
    per_file: Vec<(GlobMatcher, Levels)>,
    pub render: RenderConfig,
}

impl Config {
    /// The levels that apply in `file`: the `[lint]` lists, then every `[lint.per-file]`
    /// section whose glob matches it. Found once per file, not once per finding (the
    /// path is canonicalized to match the globs).
    pub fn for_file(&self, file: &Path) -> FileLevels<'_> {
        let relative = relative_to(file, &self.dir);
        FileLevels {
            lint: &self.lint,
            per_file: self
                .per_file
                .iter()
                .filter(|(glob, _)| glob.is_match(&relative))
                .map(|(_, levels)| levels)
                .collect(),
        }
    }
}

/// The configuration's levels for one file.
pub struct FileLevels<'a> {
    lint: &'a Levels,
    per_file: Vec<&'a Levels>,
}

impl FileLevels<'_> {
    /// The level the configuration sets for `rule` in this file, if it sets one.
    pub fn level(&self, rule: &Rule) -> Option<Level> {
        let mut level = None;
        self.lint.apply(rule, &mut level);
        for levels in &self.per_file {
            levels.apply(rule, &mut level);
        }
        level
    }
}

/// `file` relative to `dir` (already canonical), or `file` itself when outside it.
fn relative_to(file: &Path, dir: &Path) -> PathBuf {
    let file = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
    file.strip_prefix(dir)
        .map(Path::to_path_buf)
        .unwrap_or(file)
}

/// A configuration file read, with its text kept for diagnostics.
pub struct ConfigFile {
    pub sources: Sources,
    pub config: Option<Config>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The nearest `hld.toml` at or above the directory of `design` (the working
/// directory for stdin).
pub fn discover(design: &Origin) -> Option<PathBuf> {
    let start = design.directory();
    let start = if start.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        start
    };
    let start = start.canonicalize().unwrap_or(start);
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|p| p.is_file())
}

pub fn load(path: &Path) -> ConfigFile {
    let mut sources = Sources::default();
    let bytes = match hld_syntax::load::read_source(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            let file = sources.add(path, String::new());
            let message = format!(
                "cannot read `{}`: {}",
                path.display(),
                hld_syntax::load::io_reason(&error)
            );
            return ConfigFile {
                sources,
                config: None,
                diagnostics: vec![Diagnostic::error(code::IO, Span::new(file, 0, 0), message)],
            };
        }
    };
    let (file, not_utf8) = hld_syntax::load::add_file(&mut sources, path.into(), bytes);
    if let Some(error) = not_utf8 {
        return ConfigFile {
            sources,
            config: None,
            diagnostics: vec![error],
        };
    }
    let text = sources.file(file).text.clone();
    let (config, diagnostics) = parse(file, &text, path.parent().unwrap_or(Path::new(".")));
    ConfigFile {
        sources,
        config,
        diagnostics,
    }
}

fn parse(file: FileId, text: &str, dir: &Path) -> (Option<Config>, Vec<Diagnostic>) {
    let raw: RawConfig = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            let message = format!("{}: {}", FILE_NAME, error.message());
            let diagnostic = Diagnostic::error(code::SYNTAX, Span::new(file, span.start, span.end), message)
                .with_help("hld.toml takes [lint] deny/warn/allow lists, [lint.per-file] and [render] theme/direction");
            return (None, vec![diagnostic]);
        }
    };
    let mut diagnostics = Vec::new();
    let lint = levels(
        file,
        &RawLevels {
            deny: raw.lint.deny,
            warn: raw.lint.warn,
            allow: raw.lint.allow,
        },
        &mut diagnostics,
    );
    let mut per_file = Vec::new();
    for (pattern, section) in &raw.lint.per_file {
        match Glob::new(pattern) {
            Ok(glob) => per_file.push((
                glob.compile_matcher(),
                levels(file, section.get_ref(), &mut diagnostics),
            )),
            Err(error) => {
                let span = section.span();
                diagnostics.push(
                    Diagnostic::error(
                        code::INVALID_VALUE,
                        Span::new(file, span.start, span.end),
                        format!("`{pattern}` is not a valid glob: {}", error.kind()),
                    )
                    .with_help("write a glob relative to this file, e.g. \"designs/legacy/*.hld\""),
                );
            }
        }
    }
    let config = Config {
        dir: if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        }
        .canonicalize()
        .unwrap_or_else(|_| dir.to_path_buf()),
        lint,
        per_file,
        render: raw.render,
    };
    (Some(config), diagnostics)
}

fn levels(file: FileId, raw: &RawLevels, diagnostics: &mut Vec<Diagnostic>) -> Levels {
    let mut settings = Vec::new();
    for (names, level) in [
        (&raw.allow, Level::Off),
        (&raw.warn, Level::Warning),
        (&raw.deny, Level::Error),
    ] {
        for name in names {
            match catalogue().selector(name.get_ref()) {
                Some(selector) => settings.push((selector, level)),
                None => {
                    let span = name.span();
                    diagnostics.push(
                        catalogue().unknown(name.get_ref(), Span::new(file, span.start, span.end)),
                    );
                }
            }
        }
    }
    Levels { settings }
}
