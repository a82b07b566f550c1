//! What every export says about an element, whatever the target's syntax.

use hld_analysis::facts;
use hld_model::values::ops::Value as Ops;
use hld_model::{Component, Group, GroupKind, Link, Model};

/// A component's lines: its name, then its kind with its engine and replicas
/// (`database · postgres · ×3`).
pub fn component_lines(component: &Component) -> [String; 2] {
    let mut detail = component.kind.as_str().to_owned();
    if let Some(engine) = component.attrs.symbol(hld_model::attr::ENGINE) {
        detail.push_str(" · ");
        detail.push_str(engine);
    }
    if let Some(replicas) = component.replicas_text() {
        detail.push_str(" · ");
        detail.push_str(&replicas);
    }
    [component.name().to_owned(), detail]
}

/// A group's title: its name, and its kind unless it is a plain group (`us-east (region)`).
pub fn group_title(group: &Group) -> String {
    match group.kind {
        GroupKind::Group => group.name().to_owned(),
        kind => format!("{} ({})", group.name(), kind.as_str()),
    }
}

/// What a link says: its label, its `ops` when it only reads or only writes (so links
/// between the same two components tell apart), its protocol (`lookups · read · grpc`).
pub fn link_text(link: &Link) -> Option<String> {
    let ops = Some(link.ops())
        .filter(|ops| matches!(ops, Ops::Read | Ops::Write))
        .map(Ops::as_str);
    let protocol = link.attrs.symbol(hld_model::attr::PROTOCOL);
    let parts: Vec<&str> = [link.label.as_deref(), ops, protocol]
        .into_iter()
        .flatten()
        .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// How a link is drawn in every target: the line follows the picture's legend.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Line {
    Sync,
    Async,
    /// `ops: replicate`: a store's copy to another (double where the target can).
    Replicate,
    /// `ops: control`: leases and heartbeats, no requests (grey and dotted).
    Control,
}

pub fn line(model: &Model, link: &Link) -> Line {
    match link.ops() {
        Ops::Replicate => Line::Replicate,
        Ops::Control => Line::Control,
        _ if facts::link_is_sync(model, link) => Line::Sync,
        _ => Line::Async,
    }
}

/// How a target writes the design's nesting: a group's opening lines (given the
/// group's index and its indent), the line that closes a group, a component's lines.
pub struct Nesting<'a> {
    pub open: &'a dyn Fn(&mut String, usize, &str),
    pub close: &'a str,
    pub component: &'a dyn Fn(&mut String, usize, &str),
}

/// The deepest indent written, in levels, as `hld fmt`'s: past it, nesting is shown by
/// the brackets alone (9,999 nested groups made 300 MB of DOT).
const MAX_INDENT_LEVELS: usize = 32;

impl Nesting<'_> {
    /// Writes the groups and components inside `group` (`None`: the top), groups first,
    /// in declaration order, two spaces deeper per level from `depth`.
    pub fn write(&self, model: &Model, group: Option<usize>, depth: usize, out: &mut String) {
        let members = Members::of(model);
        self.write_scope(&members, group, depth, out);
    }

    fn write_scope(&self, members: &Members, group: Option<usize>, depth: usize, out: &mut String) {
        let indent = "  ".repeat(depth.min(MAX_INDENT_LEVELS));
        let scope = group.map_or(0, |g| g + 1);
        for &child in &members.groups[scope] {
            (self.open)(out, child, &indent);
            // Deep nesting recurses deep: grow the stack rather than overflow it.
            stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
                self.write_scope(members, Some(child), depth + 1, out);
            });
            out.push_str(&indent);
            out.push_str(self.close);
            out.push('\n');
        }
        for &index in &members.components[scope] {
            (self.component)(out, index, &indent);
        }
    }
}

/// The groups and components directly in each scope (the top first, then each group's),
/// found once: walking every group for every group was quadratic.
struct Members {
    groups: Vec<Vec<usize>>,
    components: Vec<Vec<usize>>,
}

impl Members {
    fn of(model: &Model) -> Members {
        let scopes = model.groups.len() + 1;
        let scope = |group: Option<usize>| group.map_or(0, |g| g + 1);
        let mut groups = vec![Vec::new(); scopes];
        for (index, group) in model.groups.iter().enumerate() {
            groups[scope(group.parent)].push(index);
        }
        let mut components = vec![Vec::new(); scopes];
        for (index, component) in model.components.iter().enumerate() {
            components[scope(component.group)].push(index);
        }
        Members { groups, components }
    }
}

/// The outline colour of a kind in hld's light theme.
pub fn accent(component: &Component) -> &'static str {
    component.kind.info().accent.0
}

/// `text` when it is at most `max` bytes, else its start and a stable suffix made from
/// the whole (`~` and 16 hex digits of a 64-bit FNV-1a hash): a target that refuses
/// longer names (Graphviz's strings, D2's keys) still reads the export, and two long
/// names that share their start stay apart.
fn within(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.len() <= max {
        return std::borrow::Cow::Borrowed(text);
    }
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    let mut end = max.saturating_sub(17);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    std::borrow::Cow::Owned(format!("{}~{hash:016x}", &text[..end]))
}

/// The texts an export shortened with [`within`], kept so that the export can list
/// each one's full text in a comment at its end (a target's comments have no length
/// limit).
pub struct Shortened {
    max: usize,
    full: std::cell::RefCell<std::collections::BTreeMap<String, String>>,
}

impl Shortened {
    pub fn new(max: usize) -> Shortened {
        Shortened {
            max,
            full: Default::default(),
        }
    }

    /// [`within`], remembering the full text of what it shortens.
    pub fn within<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        let short = within(text, self.max);
        if let std::borrow::Cow::Owned(short) = &short {
            self.full
                .borrow_mut()
                .entry(short.clone())
                .or_insert_with(|| text.to_owned());
        }
        short
    }

    /// One comment line per shortened text, after `comment` (`//`, `#`), in the order
    /// of the short forms: `// "aaa~0123456789abcdef" stands for "aaaa…"`.
    pub fn note(&self, comment: &str) -> String {
        self.full
            .borrow()
            .iter()
            .map(|(short, full)| {
                format!(
                    "{comment} {} stands for {}\n",
                    quoted(short, &[]),
                    quoted(full, &[])
                )
            })
            .collect()
    }
}

/// `text` in double quotes with the C-like escapes D2, DOT and YAML read (`\"`, `\\`,
/// `\n`), each of `extra` escaped with a backslash too, other control characters as
/// spaces.
pub fn quoted(text: &str, extra: &[char]) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c if extra.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
