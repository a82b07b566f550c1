//! One glyph per kind: stroked SVG path data on a 24 × 24 grid, drawn inside the binary
//! (no external assets).

use hld_model::Kind;

pub const GRID: f64 = 24.0;

pub fn path(kind: Kind) -> &'static str {
    match kind {
        // A person.
        Kind::Client => "M12 12a4 4 0 1 0 0-8a4 4 0 1 0 0 8zM4 21c0-4.4 3.6-7 8-7s8 2.6 8 7",
        // A globe.
        Kind::Dns => {
            "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM3 12h18M12 3c3.5 3 3.5 15 0 18M12 3c-3.5 3-3.5 15 0 18"
        }
        // A cloud.
        Kind::Cdn => "M7 18h10a4 4 0 0 0 .6-7.95A6 6 0 0 0 6.1 11.1A3.5 3.5 0 0 0 7 18z",
        // One stream split in three.
        Kind::Lb => "M3 12h6M9 12l5-6h6M9 12h11M9 12l5 6h6M17 3l3 3-3 3M17 9l3 3-3 3M17 15l3 3-3 3",
        // A shield.
        Kind::Gateway => "M12 3l8 3v6c0 5-3.4 8-8 9c-4.6-1-8-4-8-9V6zM9 12l2 2 4-4",
        // A hexagon with a core.
        Kind::Service => "M12 3l8 4.5v9L12 21l-8-4.5v-9zM12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6z",
        // A gear.
        Kind::Worker => {
            "M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1l2.1-2.1M17 7l2.1-2.1"
        }
        // A lightning bolt.
        Kind::Cache => "M13 2L5 14h6l-1 8 8-12h-6z",
        // A cylinder.
        Kind::Database => {
            "M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zM4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3"
        }
        // A bucket.
        Kind::Blob => "M4 6h16l-2 14H6zM4 6c0-1.5 3.6-2.5 8-2.5s8 1 8 2.5",
        // A log of messages.
        Kind::Queue => "M3 7h18v10H3zM8 7v10M13 7v10M18 7v10",
        // A magnifier.
        Kind::Search => "M10 4a6 6 0 1 0 0 12a6 6 0 1 0 0-12zM14.5 14.5L20 20",
        // Three nodes in agreement.
        Kind::Coordinator => {
            "M12 3a2 2 0 1 0 0 4a2 2 0 1 0 0-4zM5 16a2 2 0 1 0 0 4a2 2 0 1 0 0-4zM19 16a2 2 0 1 0 0 4a2 2 0 1 0 0-4zM11 7l-5 9M13 7l5 9M7 18h10"
        }
        // A box with an arrow leaving it.
        Kind::External => {
            "M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5"
        }
    }
}
