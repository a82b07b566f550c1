//! `hld diff --format svg`: NEW's picture with what changed marked: added components
//! and links green, changed ones amber, removed ones grey and dashed where they were
//! (laid out with NEW, beside the neighbours they had), and a caption that says so.

use super::focus::{Overlay, State};
use super::{RenderError, Settings, scene};
use hld_analysis::diff::{Diff, link_keys};
use hld_model::{Compilation, ComponentId, LinkId, Model};

/// Draws NEW (compiled and linted, without errors) with `diff`'s changes from OLD.
pub fn render(
    mut new: Compilation,
    old: &Model,
    diff: &Diff,
    caption: Vec<String>,
    settings: &Settings,
) -> Result<Vec<u8>, RenderError> {
    let removed_components: Vec<ComponentId> = old
        .components
        .iter()
        .enumerate()
        .filter(|(_, c)| diff.removed.components.contains(&c.id))
        .map(|(i, _)| ComponentId::new(i))
        .collect();
    let removed_links: Vec<LinkId> = link_keys(old)
        .iter()
        .enumerate()
        .filter(|(_, key)| diff.removed.links.contains(key))
        .map(|(i, _)| LinkId::new(i))
        .collect();
    let states = states(&new.model, diff);
    let model = std::mem::take(&mut new.model);
    new.model = model.with_parts_of(old, &removed_components, &removed_links);
    let mut options = settings.options.clone();
    options.focus = None;
    let mut scene = scene::build(&new, &options)?;
    let overlay = Overlay {
        nodes: (0..new.model.components.len())
            .map(|i| states.0.get(i).copied().unwrap_or(State::Removed))
            .collect(),
        links: (0..new.model.links.len())
            .map(|i| states.1.get(i).copied().unwrap_or(State::Removed))
            .collect(),
        steps: Vec::new(),
        caption,
    };
    scene::overlay_on(&mut scene, overlay);
    super::write(&scene, settings)
}

/// Per component and link of NEW: added, changed or as before.
fn states(new: &Model, diff: &Diff) -> (Vec<State>, Vec<State>) {
    let changed = |kind: hld_analysis::diff::ElementKind, id: &str| {
        diff.changed.iter().any(|c| c.kind == kind && c.id == id)
    };
    let state = |added: bool, changed: bool| {
        if added {
            State::Added
        } else if changed {
            State::Changed
        } else {
            State::Plain
        }
    };
    use hld_analysis::diff::ElementKind;
    let nodes = new
        .components
        .iter()
        .map(|c| {
            state(
                diff.added.components.contains(&c.id),
                changed(ElementKind::Component, &c.id),
            )
        })
        .collect();
    let links = link_keys(new)
        .iter()
        .map(|key| {
            state(
                diff.added.links.contains(key),
                changed(ElementKind::Link, key),
            )
        })
        .collect();
    (nodes, links)
}
