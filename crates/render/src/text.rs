//! Text measurement with the font the PNG is drawn with (Inter, embedded), so boxes
//! fit their labels in the SVG and the PNG alike.

use std::sync::OnceLock;

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// Inter (SIL Open Font License 1.1, `assets/fonts/LICENSE-Inter.txt`).
pub const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/Inter-Regular.otf");
pub const SEMIBOLD: &[u8] = include_bytes!("../../../assets/fonts/Inter-SemiBold.otf");
/// The family named in the SVG; browsers without Inter fall back to similar faces.
pub const FAMILY: &str = "Inter, 'Helvetica Neue', Arial, sans-serif";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    Regular,
    SemiBold,
}

/// Advance widths of one face at 1 unit of font size, looked up per character.
struct Advances {
    font: FontRef<'static>,
    /// Printable ASCII, precomputed: nearly every label is ASCII.
    ascii: [f32; 128],
}

/// The advance of a character the font lacks, in em: some other face draws it; allow a
/// full em (CJK ideographs are that wide).
const FALLBACK: f32 = 1.0;

impl Advances {
    fn new(bytes: &'static [u8]) -> Advances {
        let font = FontRef::new(bytes).expect("the embedded font parses");
        let mut advances = Advances {
            font,
            ascii: [0.0; 128],
        };
        for c in 0u8..128 {
            advances.ascii[c as usize] = advances.lookup(c as char).unwrap_or(FALLBACK);
        }
        advances
    }

    fn lookup(&self, c: char) -> Option<f32> {
        let glyph = self.font.charmap().map(c)?;
        self.font
            .glyph_metrics(Size::new(1.0), LocationRef::default())
            .advance_width(glyph)
    }

    fn of(&self, c: char) -> f32 {
        match self.ascii.get(c as usize) {
            Some(&width) => width,
            None => self.lookup(c).unwrap_or(FALLBACK),
        }
    }
}

fn advances(weight: Weight) -> &'static Advances {
    static REGULAR_ADVANCES: OnceLock<Advances> = OnceLock::new();
    static SEMIBOLD_ADVANCES: OnceLock<Advances> = OnceLock::new();
    match weight {
        Weight::Regular => REGULAR_ADVANCES.get_or_init(|| Advances::new(REGULAR)),
        Weight::SemiBold => SEMIBOLD_ADVANCES.get_or_init(|| Advances::new(SEMIBOLD)),
    }
}

/// The width of `text` set in one line at `size` user units.
pub fn width(text: &str, size: f64, weight: Weight) -> f64 {
    let advances = advances(weight);
    let em: f32 = text.chars().map(|c| advances.of(c)).sum();
    f64::from(em) * size
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wider_text_measures_wider_and_scales_with_size() {
        let narrow = width("iii", 14.0, Weight::Regular);
        let wide = width("WWW", 14.0, Weight::Regular);
        assert!(narrow > 0.0 && wide > 2.0 * narrow, "{narrow} {wide}");
        let double = width("WWW", 28.0, Weight::Regular);
        assert!((double - 2.0 * wide).abs() < 1e-9);
    }

    #[test]
    fn semibold_is_wider_than_regular() {
        let text = "Shortener API";
        assert!(width(text, 14.0, Weight::SemiBold) > width(text, 14.0, Weight::Regular));
    }

    #[test]
    fn characters_outside_the_font_still_take_room() {
        assert!(width("漢字", 14.0, Weight::Regular) > 10.0);
    }
}
