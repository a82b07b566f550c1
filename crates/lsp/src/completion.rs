//! Completion by context: kinds and keywords where an item starts, the attributes of
//! the element whose block the cursor is in (with their docs), values after `attr:`
//! (enum values, engines that fit the kind, component ids, calls as snippets),
//! component ids after `->` (imported ones included), rules and categories in
//! `@allow(`, and design files in `import "`.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, Documentation,
    InsertTextFormat, MarkupContent, MarkupKind,
};

use hld_model::schema::{Schema, Target, ValueType};
use hld_model::selector::Category;
use hld_model::{Engines, Kind};
use hld_syntax::source::FileId;

use crate::hover::{describe_attribute, target_at};
use crate::navigation::at;
use crate::world::{Analysis, World};

const KEYWORDS: [&str; 7] = [
    "design", "import", "region", "zone", "group", "flow", "scenario",
];

pub fn complete(world: &World, params: CompletionParams) -> Option<CompletionResponse> {
    let (analysis, file, offset) = at(world, &params.text_document_position)?;
    let text = &analysis.compilation.sources.file(file).text;
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..offset];
    let word_start = line
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_')
        .last()
        .map_or(line.len(), |(i, _)| i);
    let before = line[..word_start].trim_end();
    let items = if let Some(partial) = import_path(line) {
        import_items(&analysis, file, partial)
    } else if in_allow(line) {
        rule_items()
    } else if before.ends_with("->") {
        id_items(&analysis)
    } else if let Some(attribute) = before.strip_suffix(':') {
        let name = attribute
            .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()
            .unwrap_or("");
        value_items(&analysis, name, target_at(&analysis, file, offset))
    } else if before.is_empty() || before.ends_with('{') || before.ends_with(',') {
        start_items(&analysis, file, offset)
    } else {
        Vec::new()
    };
    Some(CompletionResponse::Array(items))
}

fn item(label: &str, kind: CompletionItemKind, detail: impl Into<String>) -> CompletionItem {
    CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        detail: Some(detail.into()),
        ..CompletionItem::default()
    }
}

fn documented(mut item: CompletionItem, markdown: String) -> CompletionItem {
    item.documentation = Some(Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value: markdown,
    }));
    item
}

/// Where a line item may start: in a block, its element's attributes (a group's block
/// also holds items); at the top, kinds, keywords and the ids a link starts from.
fn start_items(analysis: &Analysis, file: FileId, offset: usize) -> Vec<CompletionItem> {
    let typed = || {
        let text = &analysis.compilation.sources.file(file).text;
        crate::hover::typed_block(text, offset) == Some(crate::hover::TypedBlock::Header)
    };
    let in_header = analysis
        .index()
        .headers
        .iter()
        .any(|h| h.file == file && (h.start as usize) < offset && offset < h.end as usize)
        || typed();
    let target = target_at(analysis, file, offset);
    let nested = in_header || target != Target::Design;
    let mut items = Vec::new();
    if nested {
        let schema = Schema::get();
        for attribute in schema.attributes.iter().filter(|a| a.applies_to(target)) {
            let mut entry = item(
                attribute.name(),
                CompletionItemKind::PROPERTY,
                target.describe(),
            );
            entry.insert_text = Some(format!("{}: ", attribute.name()));
            items.push(documented(entry, describe_attribute(attribute)));
        }
    }
    if !nested || matches!(target, Target::Group | Target::Flow) {
        if target != Target::Flow {
            for kind in Kind::ALL {
                items.push(item(kind.as_str(), CompletionItemKind::CLASS, "kind"));
            }
            for keyword in KEYWORDS
                .iter()
                .filter(|k| !nested || ["region", "zone", "group"].contains(k))
            {
                items.push(item(keyword, CompletionItemKind::KEYWORD, "keyword"));
            }
        }
        items.extend(id_items(analysis));
    }
    items
}

/// The design's components, imported ones included.
fn id_items(analysis: &Analysis) -> Vec<CompletionItem> {
    analysis
        .index()
        .symbols
        .iter()
        .filter(|s| s.is_component())
        .map(|s| {
            let detail = match &s.label {
                Some(label) => format!("{} · {label}", s.keyword),
                None => s.keyword.clone(),
            };
            item(&s.name, CompletionItemKind::VARIABLE, detail)
        })
        .collect()
}

fn value_items(analysis: &Analysis, attribute: &str, target: Target) -> Vec<CompletionItem> {
    let schema = Schema::get();
    let Some(found) = schema
        .attribute(attribute, target)
        .or_else(|| schema.attributes.iter().find(|a| a.name() == attribute))
    else {
        return Vec::new();
    };
    let value_type = found.shape.value_type;
    let mut items: Vec<CompletionItem> = found
        .shape
        .values
        .iter()
        .map(|v| item(v, CompletionItemKind::ENUM_MEMBER, format!("`{attribute}`")))
        .collect();
    match value_type {
        ValueType::Bool => {
            for v in ["true", "false"] {
                items.push(item(v, CompletionItemKind::VALUE, "bool"));
            }
        }
        ValueType::Engine => {
            let kind = match target {
                Target::Component(kind) => Some(kind),
                _ => None,
            };
            for profile in Engines::get()
                .names()
                .filter_map(|n| Engines::get().profile(n))
            {
                if kind.is_none_or(|k| profile.fits(k)) {
                    items.push(item(&profile.name, CompletionItemKind::MODULE, "engine"));
                }
            }
        }
        ValueType::Component | ValueType::Places => items.extend(id_items(analysis)),
        family => {
            for (name, call) in schema.calls_for(family) {
                let required: Vec<_> = call.params.iter().filter(|p| p.required).collect();
                let params: Vec<_> = if required.is_empty() {
                    call.params.iter().collect()
                } else {
                    required
                };
                let arguments: Vec<String> = params
                    .iter()
                    .enumerate()
                    .map(|(i, p)| format!("{}: ${{{}}}", p.name, i + 1))
                    .collect();
                let mut entry = item(name, CompletionItemKind::FUNCTION, family.call_word());
                entry.insert_text = Some(format!("{name}({})", arguments.join(", ")));
                entry.insert_text_format = Some(InsertTextFormat::SNIPPET);
                items.push(entry);
            }
        }
    }
    items
}

fn in_allow(line: &str) -> bool {
    line.rfind("@allow(").is_some_and(|at| {
        !line[at..].contains(')') && line[at..].matches('"').count().is_multiple_of(2)
    })
}

fn rule_items() -> Vec<CompletionItem> {
    let rules = hld_analysis::rules::ALL.iter().map(|rule| {
        let why = rule.why.split("\n\n").next().unwrap_or(rule.why);
        documented(
            item(rule.name, CompletionItemKind::CONSTANT, rule.summary),
            format!(
                "**`{}`** ({}): {}\n\n{why}",
                rule.name,
                rule.category.as_str(),
                rule.summary
            ),
        )
    });
    let categories = Category::ALL.iter().map(|c| {
        item(
            c.as_str(),
            CompletionItemKind::FOLDER,
            "every rule of the category",
        )
    });
    rules.chain(categories).collect()
}

/// The path typed so far after `import "`, when the cursor is in it.
fn import_path(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix("import")?.trim_start();
    let partial = rest.strip_prefix('"')?;
    (!partial.contains('"')).then_some(partial)
}

/// `.hld` files and directories under the one typed, relative to the design's file.
fn import_items(analysis: &Analysis, file: FileId, partial: &str) -> Vec<CompletionItem> {
    let here = analysis.path_of(file);
    let base = here.parent().unwrap_or(std::path::Path::new("."));
    let (directory, _) = partial.rsplit_once('/').unwrap_or(("", partial));
    let Ok(entries) = std::fs::read_dir(base.join(directory)) else {
        return Vec::new();
    };
    let mut items: Vec<CompletionItem> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_dir = entry.file_type().ok()?.is_dir();
            let path = if directory.is_empty() {
                name.clone()
            } else {
                format!("{directory}/{name}")
            };
            if entry.path() == here || name.starts_with('.') {
                return None;
            }
            if is_dir {
                let mut entry = item(&format!("{path}/"), CompletionItemKind::FOLDER, "directory");
                entry.insert_text = Some(format!("{path}/"));
                Some(entry)
            } else if name.ends_with(".hld") {
                Some(item(&path, CompletionItemKind::FILE, "design file"))
            } else {
                None
            }
        })
        .collect();
    items.sort_by(|a, b| a.label.cmp(&b.label));
    items
}
