//! Stable layouts while editing (issue 35): a drawing made near the one before a
//! one-component edit keeps the other boxes where they were. Measured on the twelve
//! reference designs: each gets a component added next to a few of its components in
//! turn, and each such edit undone (the component removed again).

use std::sync::Arc;

use hld::Lint;
use hld::render::scene::{self, Options, Previous, Scene};

fn compile(name: &str, text: &str) -> hld::Compilation {
    let mut compilation = hld::compile(name, text.as_bytes().to_vec());
    assert!(
        !compilation.has_errors(),
        "{name}: {:?}",
        compilation.diagnostics
    );
    compilation.lint(hld::analysis::Settings::default());
    compilation
}

fn draw(compilation: &hld::Compilation, previous: Option<&Scene>) -> Scene {
    let options = Options {
        previous: previous.map(|scene| Arc::new(Previous::of(scene))),
        measure: false,
        ..hld::render::Settings::new(hld::render::Format::Svg).options
    };
    scene::build(compilation, &options).expect("drawable")
}

/// The mean distance, in user units, between the centres of the boxes both drawings
/// have, once the drawing as a whole is moved back by the median of their moves (a
/// picture that grows on its left moves everything right on the page, but not one box
/// relative to the others).
fn displacement(before: &Scene, after: &Scene) -> f64 {
    let centre = |r: &hld::layout::Rect| (r.x + r.width / 2.0, r.y + r.height / 2.0);
    let moves: Vec<(f64, f64)> = (after.nodes.iter())
        .filter_map(|node| {
            let old = before.nodes.iter().find(|n| n.id == node.id)?;
            let (a, b) = (centre(&old.rect), centre(&node.rect));
            Some((b.0 - a.0, b.1 - a.1))
        })
        .collect();
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied().unwrap_or(0.0)
    };
    let shift = (
        median(moves.iter().map(|m| m.0).collect()),
        median(moves.iter().map(|m| m.1).collect()),
    );
    let distance = |m: &(f64, f64)| ((m.0 - shift.0).powi(2) + (m.1 - shift.1).powi(2)).sqrt();
    moves.iter().map(distance).sum::<f64>() / moves.len().max(1) as f64
}

/// The design with one more service, called by `caller`.
fn with_one_more(text: &str, caller: &str) -> String {
    format!("{text}\nservice added_in_the_edit\n{caller} -> added_in_the_edit\n")
}

/// Over one-component edits on every reference design (a service added beside every
/// third component, and each addition undone), the mean displacement of the boxes the
/// edit did not touch, drawn near the picture before the edit, is under a tenth of
/// what drawing afresh moves them; every drawing near an earlier one keeps the layout's
/// invariants (tests/it/layout.rs holds them for the engine's `Hint` on any graph).
#[test]
fn a_one_component_edit_moves_the_other_boxes_a_tenth_as_far() {
    let (mut afresh, mut near, mut edits) = (0.0, 0.0, 0);
    for path in crate::common::designs() {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let original = compile(&name, &text);
        let ids: Vec<String> = original
            .model
            .components
            .iter()
            .map(|c| c.id.clone())
            .collect();
        let (mut design_afresh, mut design_near) = (0.0, 0.0);
        for caller in ids.iter().step_by(3) {
            let edited = compile(&name, &with_one_more(&text, caller));
            // Adding, then removing it again: each from the picture before.
            for (before, after) in [(&original, &edited), (&edited, &original)] {
                let shown = draw(before, None);
                let fresh = displacement(&shown, &draw(after, None));
                let stayed = displacement(&shown, &draw(after, Some(&shown)));
                design_afresh += fresh;
                design_near += stayed;
                edits += 1;
            }
        }
        eprintln!("{name}: afresh {design_afresh:.0}, near the picture before {design_near:.0}");
        afresh += design_afresh;
        near += design_near;
    }
    let (afresh, near) = (afresh / edits as f64, near / edits as f64);
    eprintln!(
        "{edits} edits: mean displacement afresh {afresh:.1}, near {near:.1} ({:.1}%)",
        100.0 * near / afresh
    );
    assert!(
        near < afresh / 10.0,
        "near {near:.1} against afresh {afresh:.1}"
    );
}
