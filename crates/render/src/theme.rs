//! Colours. Written as presentation attributes (not CSS), so resvg, browsers and image
//! viewers draw the same thing.

use hld_model::values::theme::Value as ThemeValue;
use hld_model::{GroupKind, Kind};
use hld_syntax::diagnostics::Severity;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    /// The one way every front end chooses: the theme asked for (a flag, a request),
    /// else the design's `theme` ([`Theme::of_design`]), else hld.toml's, else light.
    pub fn resolve(asked: Option<Theme>, design: Option<Theme>, config: Option<Theme>) -> Theme {
        asked.or(design).or(config).unwrap_or(Theme::Light)
    }

    /// The theme a design's header states.
    pub fn of_design(model: &hld_model::Model) -> Option<Theme> {
        let value = model.header.value::<ThemeValue>()?;
        Some(Theme::from(value))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => ThemeValue::Light,
            Theme::Dark => ThemeValue::Dark,
        }
        .as_str()
    }
}

impl hld_model::Choice for Theme {
    const ALL: &'static [Theme] = &[Theme::Light, Theme::Dark];

    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl From<ThemeValue> for Theme {
    fn from(value: ThemeValue) -> Theme {
        match value {
            ThemeValue::Light => Theme::Light,
            ThemeValue::Dark => Theme::Dark,
        }
    }
}

pub struct Palette {
    pub background: &'static str,
    pub text: &'static str,
    pub muted: &'static str,
    pub node_fill: &'static str,
    pub edge: &'static str,
    pub label_fill: &'static str,
    pub badge_fill: &'static str,
    pub region: (&'static str, &'static str),
    pub zone: (&'static str, &'static str),
    pub group: (&'static str, &'static str),
}

const LIGHT: Palette = Palette {
    background: "#ffffff",
    text: "#1f2933",
    muted: "#616e7c",
    node_fill: "#ffffff",
    edge: "#52606d",
    label_fill: "#ffffff",
    badge_fill: "#f0f4f8",
    region: ("#f5f7fa", "#9aa5b1"),
    zone: ("#fbfcfd", "#b6c0ca"),
    group: ("#eef2f7", "#cbd2d9"),
};

const DARK: Palette = Palette {
    background: "#14181f",
    text: "#e4e7eb",
    muted: "#9aa5b1",
    node_fill: "#1f2630",
    edge: "#9aa5b1",
    label_fill: "#14181f",
    badge_fill: "#2b3440",
    region: ("#181d25", "#616e7c"),
    zone: ("#1b2029", "#52606d"),
    group: ("#202733", "#3e4c59"),
};

impl Theme {
    pub fn palette(self) -> &'static Palette {
        match self {
            Theme::Light => &LIGHT,
            Theme::Dark => &DARK,
        }
    }

    /// The accent of a kind: its outline and glyph (the kind table's).
    pub fn accent(self, kind: Kind) -> &'static str {
        let (light, dark) = kind.info().accent;
        match self {
            Theme::Light => light,
            Theme::Dark => dark,
        }
    }

    pub fn severity(self, severity: Severity) -> &'static str {
        match severity {
            Severity::Error => "#d64545",
            Severity::Warning => "#de911d",
            Severity::Info => "#2680c2",
        }
    }

    /// Fill and stroke of a group box.
    pub fn group(self, kind: GroupKind) -> (&'static str, &'static str) {
        let palette = self.palette();
        match kind {
            GroupKind::Region => palette.region,
            GroupKind::Zone => palette.zone,
            GroupKind::Group => palette.group,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Theme;
    use hld_model::Choice;

    /// Asked first, then the design's `theme`, then hld.toml's, then light.
    #[test]
    fn the_theme_is_asked_then_the_design_s_then_the_configuration_s() {
        let (light, dark) = (Some(Theme::Light), Some(Theme::Dark));
        assert_eq!(Theme::resolve(light, dark, dark), Theme::Light);
        assert_eq!(Theme::resolve(None, dark, light), Theme::Dark);
        assert_eq!(Theme::resolve(None, None, dark), Theme::Dark);
        assert_eq!(Theme::resolve(None, None, None), Theme::Light);
        assert_eq!(Theme::named("dark"), dark);
        assert_eq!(Theme::named("sepia"), None);
    }
}
