//! What a component box holds (name, engine, replicas, badges) and the size that holds
//! it, by the figures of `anatomy`.

use super::NodeBox;
use super::anatomy::*;
use crate::text::{self, Weight};
use hld_analysis::facts;
use hld_layout::{Rect, Size};
use hld_model::kind::Outline;
use hld_model::{Attr, Component, Kind, attr};

/// What a component box says, and the size that holds it.
pub(super) struct Content {
    label: String,
    detail: String,
    replicas: Option<String>,
    badges: Vec<String>,
    stacked: bool,
    pub size: Size,
}

impl Content {
    pub(super) fn new(component: &Component) -> Content {
        let label = component.name().to_owned();
        let detail = component.detail().to_owned();
        let replicas = component.replicas_text();
        let badges = badges(component);
        let label_line = text::width(&label, LABEL_SIZE, Weight::SemiBold)
            + replicas
                .as_ref()
                .map_or(0.0, |r| 8.0 + text::width(r, DETAIL_SIZE, Weight::SemiBold));
        let detail_line = text::width(&detail, DETAIL_SIZE, Weight::Regular);
        let badge_line: f64 = badges.iter().map(|b| badge_width(b) + BADGE_GAP).sum();
        let text_width = label_line.max(detail_line);
        let inner = (ICON + ICON_GAP + text_width).max(badge_line);
        let stacked = replicas.is_some();
        let stack = if stacked { 2.0 * STACK_OFFSET } else { 0.0 };
        let mut height = PADDING + 2.0 * LINE + PADDING;
        if !badges.is_empty() {
            height += BADGE_HEIGHT + 4.0;
        }
        height += shape_allowance(component.kind);
        Content {
            size: Size {
                width: (inner + 2.0 * PADDING + shape_inset(component.kind)).max(MIN_WIDTH) + stack,
                height: height + stack,
            },
            label,
            detail,
            replicas,
            badges,
            stacked,
        }
    }

    pub(super) fn place(self, component: &Component, rect: Rect) -> NodeBox {
        let stack = if self.stacked {
            2.0 * STACK_OFFSET
        } else {
            0.0
        };
        // Shadows stack up and to the right, behind the front face.
        let face = Rect {
            x: rect.x,
            y: rect.y + stack,
            width: rect.width - stack,
            height: rect.height - stack,
        };
        let mut tooltip = format!(
            "{} ({})\n{}",
            self.label,
            component.id,
            component.kind.as_str()
        );
        if let Some(engine) = component.attrs.symbol(attr::ENGINE) {
            tooltip.push_str(&format!(" · {engine}"));
        }
        tooltip.push_str(&format!(
            " · {} replica{}",
            component.replicas(),
            if component.replicas() == 1 { "" } else { "s" }
        ));
        for badge in &self.badges {
            tooltip.push_str(&format!(" · {badge}"));
        }
        NodeBox {
            id: component.id.clone(),
            kind: component.kind,
            label: self.label,
            detail: self.detail,
            replicas: self.replicas,
            badges: self.badges,
            rect,
            face,
            tooltip,
        }
    }
}

/// Extra height a kind's outline takes from the box (a cylinder's lid).
pub fn shape_allowance(kind: Kind) -> f64 {
    match kind.info().outline {
        Outline::Cylinder => LID,
        Outline::Rounded { .. } | Outline::Pipe | Outline::Bucket => 0.0,
    }
}

/// Extra width a kind's outline takes from the box (a pipe's caps, a bucket's slant).
pub fn shape_inset(kind: Kind) -> f64 {
    match kind.info().outline {
        Outline::Pipe => 2.0 * LID,
        Outline::Bucket => 12.0,
        Outline::Rounded { .. } | Outline::Cylinder => 0.0,
    }
}

pub fn badge_width(text: &str) -> f64 {
    text::width(text, BADGE_SIZE, Weight::Regular) + 2.0 * BADGE_PADDING
}

/// Shards or partitions, then the consistency (and CAP class) of a data component.
fn badges(component: &Component) -> Vec<String> {
    let mut badges = Vec::new();
    let count = |attr: Attr| component.attrs.count(attr).filter(|&n| n > 1);
    if let Some(shards) = count(attr::SHARDS) {
        badges.push(format!("{shards} shards"));
    } else if let Some(partitions) = count(attr::PARTITIONS) {
        badges.push(format!("{partitions} partitions"));
    }
    if component.kind.is_data() {
        let cap = component.profile.and_then(|p| p.cap.as_deref());
        match (cap, facts::effective_consistency(component, None)) {
            (Some(cap), Some(level)) => badges.push(format!("{cap} · {level}")),
            (None, Some(level)) => badges.push(level.to_string()),
            (Some(cap), None) => badges.push(cap.to_owned()),
            (None, None) => {}
        }
    }
    badges
}
