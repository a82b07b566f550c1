//! Hover: what hld knows about the word under the cursor. A component id shows its
//! estimate and findings; a kind what it is; an attribute its doc, type, default and
//! values; a value the engine's profile or the quantity in the attribute's unit; a rule
//! name (in `@allow` or on a finding) its summary and the trade-off behind it.

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use hld_analysis::estimate::Estimates;
use hld_analysis::facts::Facts;
use hld_model::figures::{
    human_duration, human_money, human_rate, human_size, percent, significant,
};
use hld_model::schema::{AttributeSchema, Schema, Target};
use hld_model::units::{Dimension, interpret};
use hld_model::{Engines, Kind};
use hld_syntax::ast::ValueKind;
use hld_syntax::source::FileId;

use crate::index::covers;
use crate::navigation::at;
use crate::world::{Analysis, World};

pub fn hover(world: &World, params: HoverParams) -> Option<Hover> {
    let (analysis, file, offset) = at(world, &params.text_document_position_params)?;
    let text = &analysis.compilation.sources.file(file).text;
    let found = if let Some((name, _)) = analysis.index().name_at(file, offset) {
        id(&analysis, name)
    } else if let Some(rule) = allowed_rule(&analysis, file, offset) {
        rule_text(rule)
    } else {
        word_at(text, offset)
            .and_then(|(word, start)| word_hover(&analysis, file, text, word, start))
    };
    // On a finding's span, the trade-off behind its rule (once per rule).
    let mut rules: Vec<&str> = Vec::new();
    for diagnostic in &analysis.compilation.diagnostics {
        if covers(&diagnostic.span, file, offset) && !rules.contains(&diagnostic.code) {
            rules.push(diagnostic.code);
        }
    }
    let explained: Vec<String> = rules.into_iter().filter_map(rule_text).collect();
    let markdown = match (found, explained.is_empty()) {
        (Some(found), true) => found,
        (Some(found), false) => format!("{found}\n\n---\n\n{}", explained.join("\n\n")),
        (None, false) => explained.join("\n\n"),
        (None, true) => return None,
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: None,
    })
}

/// The word (an identifier, or a quantity with its unit) around `offset`.
pub fn word_at(text: &str, offset: usize) -> Option<(&str, usize)> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || "_.%/".contains(c);
    let offset = offset.min(text.len());
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    (end > start).then(|| (&text[start..end], start))
}

fn allowed_rule(analysis: &Analysis, file: FileId, offset: usize) -> Option<&str> {
    analysis
        .index()
        .allowed
        .iter()
        .find(|r| covers(&r.span, file, offset))
        .map(|r| r.name.as_str())
}

fn word_hover(
    analysis: &Analysis,
    file: FileId,
    text: &str,
    word: &str,
    start: usize,
) -> Option<String> {
    let after = text[start + word.len()..].trim_start();
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..start].trim_end();
    if after.starts_with(':') && !after.starts_with("::") {
        let target = target_at(analysis, file, start);
        return attribute_text(word, target);
    }
    if let Some(attribute) = before.strip_suffix(':').map(|b| b.trim_end()) {
        let name = attribute
            .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()?;
        return value_text(name, word);
    }
    if let Some(rule) = rule_text(word) {
        return Some(rule);
    }
    Kind::parse(word).map(kind_text)
}

/// What the block around `offset` is: the innermost declaration or link containing it.
pub fn target_at(analysis: &Analysis, file: FileId, offset: usize) -> Target {
    let inside = |span: &hld_syntax::source::Span| {
        span.file == file && (span.start as usize) < offset && offset < span.end as usize
    };
    let declaration = analysis
        .index()
        .symbols
        .iter()
        .filter(|s| s.body.as_ref().is_some_and(inside))
        .min_by_key(|s| s.item.end - s.item.start);
    let link = analysis
        .index()
        .links
        .iter()
        .filter(|l| l.body.as_ref().is_some_and(inside))
        .min_by_key(|l| l.item.end - l.item.start);
    if let Some(link) = link {
        let in_flow = declaration.is_some_and(|d| d.keyword == "flow");
        if declaration.is_none_or(|d| d.item.end - d.item.start > link.item.end - link.item.start) {
            return if in_flow {
                Target::FlowStep
            } else {
                Target::Link
            };
        }
    }
    match declaration.map(|d| d.keyword.as_str()) {
        // Nothing parsed around the cursor: the block may be half typed (not closed yet,
        // so the file does not parse); read its opening from the text.
        None => match typed_block(&analysis.compilation.sources.file(file).text, offset) {
            Some(TypedBlock::Of(target)) => target,
            Some(TypedBlock::Header) | None => Target::Design,
        },
        Some(keyword) => keyword_target(keyword),
    }
}

fn keyword_target(keyword: &str) -> Target {
    match keyword {
        "region" | "zone" | "group" => Target::Group,
        "flow" => Target::Flow,
        "scenario" => Target::Scenario,
        keyword => Kind::parse(keyword).map_or(Target::Design, Target::Component),
    }
}

/// The block a cursor is in, read from the text alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypedBlock {
    /// The design header's `design "..." {`.
    Header,
    Of(Target),
}

/// The innermost block open at `offset`, from the braces before it (strings and
/// comments skipped) and what its opening line says: `service api {`, `a -> b {`,
/// `flow f {`, `design "D" {`. `None` outside every block.
pub fn typed_block(text: &str, offset: usize) -> Option<TypedBlock> {
    let before = text.get(..offset)?;
    let mut openings: Vec<usize> = Vec::new();
    let mut chars = before.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => {
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' | '\n' => break,
                        _ => {}
                    }
                }
            }
            '/' if chars.peek().is_some_and(|(_, n)| *n == '/') => {
                chars
                    .by_ref()
                    .take_while(|(_, c)| *c != '\n')
                    .for_each(drop);
            }
            '{' => openings.push(at),
            '}' => {
                openings.pop();
            }
            _ => {}
        }
    }
    let blocks: Vec<&str> = openings
        .iter()
        .map(|&at| {
            let start = before[..at].rfind(['\n', '{', '}']).map_or(0, |i| i + 1);
            before[start..at].trim()
        })
        .collect();
    let innermost = *blocks.last()?;
    let in_flow = blocks
        .iter()
        .any(|b| b.split_whitespace().next() == Some("flow"));
    Some(if innermost.contains("->") || innermost.contains("<->") {
        TypedBlock::Of(if in_flow {
            Target::FlowStep
        } else {
            Target::Link
        })
    } else {
        match innermost.split_whitespace().next() {
            Some("design") => TypedBlock::Header,
            Some(keyword) => TypedBlock::Of(keyword_target(keyword)),
            None => return None,
        }
    })
}

/// An attribute's doc, for the element it is on when the schema has it there.
pub fn attribute_text(name: &str, target: Target) -> Option<String> {
    let schema = Schema::get();
    let attribute = schema
        .attribute(name, target)
        .or_else(|| schema.attributes.iter().find(|a| a.name() == name))?;
    Some(describe_attribute(attribute))
}

pub fn describe_attribute(attribute: &AttributeSchema) -> String {
    let mut text = format!(
        "**`{}`**: {}\n\n*Type:* {}",
        attribute.name(),
        attribute.doc,
        type_name(attribute.shape.value_type)
    );
    if !attribute.shape.values.is_empty() {
        let values: Vec<String> = attribute
            .shape
            .values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect();
        text.push_str(&format!(" · *values:* {}", values.join(", ")));
    }
    if let Some(default) = &attribute.default {
        text.push_str(&format!(" · *default:* `{default}`"));
    }
    text.push_str(&format!(" · *on:* {}", attribute.on.join(", ")));
    text
}

/// How the reference names a value type (docs/attributes.md).
fn type_name(value_type: hld_model::schema::ValueType) -> &'static str {
    use hld_model::schema::ValueType as T;
    match value_type {
        T::Bool => "`true` or `false`",
        T::String => "a string",
        T::Field => "a field name",
        T::Count => "a count (`3`, `100M`)",
        T::Size => "a size (`500B`, `2GB`)",
        T::Duration => "a duration (`20ms`, `5y`)",
        T::Rate => "a rate (`10k/s`, `1/day`)",
        T::Percentage => "a percentage (`99.9%`)",
        T::Factor => "a factor (`3x`)",
        T::Bandwidth => "a bandwidth (`1Gbps`)",
        T::Money => "money (`$40k/month`, `$0.20/h`)",
        T::Range => "a range (`2..20`)",
        T::Enum => "one of its values",
        T::List => "a list (`[a, b]`)",
        T::Engine => "an engine",
        T::Component => "a component id",
        T::Replication => "a replication call",
        T::Partitioning => "a partitioning call",
        T::Retry => "a retry call",
        T::RateLimit => "a rate limit call",
        T::Traffic => "a traffic shape (`spike(3x, at: 2min, for: 1min)`)",
        T::Places => "component or group ids",
    }
}

/// A value: an engine's profile, or a quantity in the attribute's unit.
fn value_text(attribute: &str, word: &str) -> Option<String> {
    if attribute == "engine" {
        return Engines::get().profile(word).map(engine_text);
    }
    let schema = Schema::get()
        .attributes
        .iter()
        .find(|a| a.name() == attribute)?;
    let dimension = schema.shape.value_type.dimension()?;
    let value = hld_syntax::parse_value(FileId(0), word)?;
    let ValueKind::Quantity(quantity) = value.kind else {
        return None;
    };
    let base = interpret(&quantity, dimension).ok()?;
    let meaning = match dimension {
        Dimension::Size => format!("{} bytes ({})", significant(base), human_size(base)),
        Dimension::Duration => format!("{} seconds ({})", significant(base), human_duration(base)),
        Dimension::Rate => format!("{} per second ({})", significant(base), human_rate(base)),
        Dimension::Percentage => format!("the fraction {} ({})", significant(base), percent(base)),
        Dimension::Bandwidth => format!("{} bits per second", significant(base)),
        Dimension::Count | Dimension::Factor => significant(base),
        Dimension::Money => format!(
            "{} dollars a month ({})",
            significant(base),
            human_money(base)
        ),
    };
    Some(format!(
        "`{word}` = {meaning}, as `{attribute}` reads it ({})",
        dimension.name()
    ))
}

fn engine_text(profile: &hld_model::EngineProfile) -> String {
    let mut lines = vec![format!(
        "**{}**: fits {}",
        profile.name,
        kinds(&profile.kinds)
    )];
    let mut facts = Vec::new();
    let text = |v: Option<&'static str>| v.map(str::to_owned);
    for (name, value) in [
        ("model", text(profile.model.map(|v| v.as_str()))),
        ("consistency", text(profile.consistency.map(|v| v.as_str()))),
        ("CAP", profile.cap.clone()),
        ("PACELC", profile.pacelc.clone()),
        ("storage", text(profile.storage.map(|v| v.as_str()))),
        ("replication", profile.replication.map(|r| r.to_string())),
        ("delivery", text(profile.delivery.map(|v| v.as_str()))),
        ("ordering", text(profile.ordering.map(|v| v.as_str()))),
        ("consumers", text(profile.consumers.map(|v| v.as_str()))),
    ] {
        if let Some(value) = value {
            facts.push(format!("{name}: `{value}`"));
        }
    }
    if let Some(capacity) = profile.capacity {
        facts.push(format!("{} per replica", human_rate(capacity)));
    }
    if let Some(writes) = profile.write_capacity {
        facts.push(format!("{} writes per node", human_rate(writes)));
    }
    match (profile.latency, profile.latency_p99) {
        (Some(p50), Some(p99)) => facts.push(format!(
            "{} / {} per request (p50 / p99)",
            human_duration(p50),
            human_duration(p99)
        )),
        (Some(p50), None) => facts.push(format!("{} per request (p50)", human_duration(p50))),
        _ => {}
    }
    for (what, limit) in [
        ("reads", profile.partition_read_capacity),
        ("writes", profile.partition_write_capacity),
    ] {
        if let Some(limit) = limit {
            facts.push(format!("{} {what} per partition", human_rate(limit)));
        }
    }
    if let Some(time) = profile.failover_time {
        facts.push(format!("fails over in {}", human_duration(time)));
    }
    if let Some(availability) = profile.availability {
        facts.push(format!("{} available per replica", percent(availability)));
    }
    if profile.managed {
        facts.push("managed".to_owned());
    }
    lines.push(facts.join(" · "));
    let sources = engine_sources(&profile.name);
    if !sources.is_empty() {
        lines.push(format!("Sources: {}", sources.join(", ")));
    }
    lines.join("\n\n")
}

fn kinds(kinds: &[Kind]) -> String {
    kinds
        .iter()
        .map(|k| format!("`{}`", k.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The public sources engines.toml cites for a profile (its comments' addresses).
fn engine_sources(name: &str) -> Vec<String> {
    const ENGINES: &str = include_str!("../../model/data/engines.toml");
    let header = format!("[{name}]");
    let Some(start) = ENGINES.lines().position(|l| l.trim() == header) else {
        return Vec::new();
    };
    let mut sources = Vec::new();
    for line in ENGINES
        .lines()
        .skip(start + 1)
        .take_while(|l| !l.trim_start().starts_with('['))
    {
        let Some((_, comment)) = line.split_once('#') else {
            continue;
        };
        for word in comment.split_whitespace() {
            let word = word.trim_end_matches([',', ';', ')', '.']);
            let host = word.split('/').next().unwrap_or("");
            if word.contains('/') && host.contains('.') && !sources.iter().any(|s| s == word) {
                sources.push(word.to_owned());
            }
        }
    }
    sources
}

fn kind_text(kind: Kind) -> String {
    format!("**{}** — {}", kind.as_str(), kind.info().description)
}

fn rule_text(name: &str) -> Option<String> {
    let rule = hld_analysis::rules::find(name)?;
    let why = rule.why.split("\n\n").next().unwrap_or(rule.why);
    Some(format!(
        "**`{}`** ({}, {} by default): {}\n\n{}",
        rule.name,
        rule.category.as_str(),
        rule.level.as_str(),
        rule.summary,
        why
    ))
}

/// A declared id: a component's estimate and findings, or what the id names.
fn id(analysis: &Analysis, name: &str) -> Option<String> {
    let symbol = analysis.index().symbol(name)?;
    let mut text = match &symbol.label {
        Some(label) => format!("**{name}** — {label} ({})", symbol.keyword),
        None => format!("**{name}** ({})", symbol.keyword),
    };
    let model = &analysis.compilation.model;
    if let Some(component) = model.find(name).filter(|_| analysis.compilation.compiles()) {
        let facts = Facts::new(model);
        let estimates = Estimates::new(model, &facts);
        let e = &estimates.components[component.index()];
        let mut row = Vec::new();
        if let Some(rate) = e.inbound {
            row.push(format!("peak {}", human_rate(rate.peak)));
        }
        if let Some(capacity) = &e.capacity {
            row.push(format!("capacity {}", human_rate(capacity.value)));
        }
        if let Some(utilization) = e.utilization {
            row.push(format!("utilization {}%", significant(utilization * 100.0)));
        }
        if let Some(storage) = &e.storage {
            row.push(format!("storage {}", human_size(storage.value)));
        }
        if model.component(component).kind != Kind::Client {
            row.push(format!("availability {}", percent(e.availability.value)));
        }
        if !row.is_empty() {
            text.push_str(&format!("\n\n{}", row.join(" · ")));
        }
    }
    let findings: Vec<String> = analysis
        .compilation
        .diagnostics
        .iter()
        .filter(|d| d.element.as_ref().is_some_and(|e| e.to_string() == name))
        .map(|d| format!("- `{}`: {}", d.code, d.message))
        .collect();
    if !findings.is_empty() {
        text.push_str(&format!("\n\nFindings:\n{}", findings.join("\n")));
    }
    Some(text)
}

#[cfg(test)]
mod typed_tests {
    use super::*;

    #[test]
    fn a_half_typed_block_is_read_from_its_opening_line() {
        let at_end = |text: &str| typed_block(text, text.len());
        assert_eq!(
            at_end("service api {\n  rep"),
            Some(TypedBlock::Of(Target::Component(Kind::Service)))
        );
        assert_eq!(at_end("service api { replicas: 2 }\n"), None);
        assert_eq!(at_end("design \"D\" {\n  avail"), Some(TypedBlock::Header));
        assert_eq!(at_end("a -> b { ti"), Some(TypedBlock::Of(Target::Link)));
        assert_eq!(
            at_end("flow f {\n  a -> b { ra"),
            Some(TypedBlock::Of(Target::FlowStep))
        );
        // Braces in strings and comments do not count.
        assert_eq!(at_end("service api \"{\" // {\n"), None);
        assert_eq!(
            at_end("zone z {\n  cache c { label: \"}\", "),
            Some(TypedBlock::Of(Target::Component(Kind::Cache)))
        );
    }
}
