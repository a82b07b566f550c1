//! Component kinds and group kinds (docs/language.md, "Component kinds").

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Client,
    Dns,
    Cdn,
    Lb,
    Gateway,
    Service,
    Worker,
    Cache,
    Database,
    Blob,
    Queue,
    Search,
    Coordinator,
    External,
}

/// What a kind does with the requests it receives (docs/estimates.md's sender table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Calls each dependency a request needs: client, service, worker, external.
    Caller,
    /// Spreads requests over equal alternatives, any one of which serves: lb, dns.
    Balancer,
    /// Forwards requests onward by route or cache miss: gateway, cdn.
    Router,
    /// Holds state (docs/rules.md, "Words used"): database, cache, queue, blob, search,
    /// coordinator.
    Data,
}

/// How a kind's box is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outline {
    /// A rounded box, dashed for a system the design does not run.
    Rounded { radius: f64, dashed: bool },
    /// A cylinder (a lid at the top).
    Cylinder,
    /// A pipe lying on its side (caps at both ends).
    Pipe,
    /// A bucket (slanted sides).
    Bucket,
}

/// Everything hld knows about a kind, in one row: adding a kind is adding a row here
/// (and the kind to the schema's `on` lists). `tests::every_kind_has_its_row` fails
/// for a kind without one.
#[derive(Debug)]
pub struct KindInfo {
    pub kind: Kind,
    pub name: &'static str,
    /// "a" or "an", for messages.
    pub article: &'static str,
    pub role: Role,
    /// Run by someone else (a client, an external system): not the design's to
    /// replicate or to place in zones.
    pub outside: bool,
    /// Outline and glyph colour in the light and the dark theme. Families share a hue:
    /// the edge (dns, cdn, lb, gateway) blue, compute green, data orange, messaging
    /// purple.
    pub accent: (&'static str, &'static str),
    /// Stroked SVG path data on a 24 × 24 grid.
    pub glyph: &'static str,
    pub outline: Outline,
}

const fn row(
    kind: Kind,
    name: &'static str,
    role: Role,
    accent: (&'static str, &'static str),
    glyph: &'static str,
    outline: Outline,
) -> KindInfo {
    KindInfo {
        kind,
        name,
        article: "a",
        role,
        outside: false,
        accent,
        glyph,
        outline,
    }
}

const BOX: Outline = Outline::Rounded {
    radius: 6.0,
    dashed: false,
};

/// The kinds, in [`Kind::ALL`] order.
const KINDS: [KindInfo; 14] = [
    KindInfo {
        outside: true,
        // A person.
        ..row(
            Kind::Client,
            "client",
            Role::Caller,
            ("#3e4c59", "#cbd2d9"),
            "M12 12a4 4 0 1 0 0-8a4 4 0 1 0 0 8zM4 21c0-4.4 3.6-7 8-7s8 2.6 8 7",
            Outline::Rounded {
                radius: 16.0,
                dashed: false,
            },
        )
    },
    // A globe.
    row(
        Kind::Dns,
        "dns",
        Role::Balancer,
        ("#0b69a3", "#47a3f3"),
        "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM3 12h18M12 3c3.5 3 3.5 15 0 18M12 3c-3.5 3-3.5 15 0 18",
        BOX,
    ),
    // A cloud.
    row(
        Kind::Cdn,
        "cdn",
        Role::Router,
        ("#0b69a3", "#47a3f3"),
        "M7 18h10a4 4 0 0 0 .6-7.95A6 6 0 0 0 6.1 11.1A3.5 3.5 0 0 0 7 18z",
        BOX,
    ),
    // One stream split in three.
    row(
        Kind::Lb,
        "lb",
        Role::Balancer,
        ("#2680c2", "#5ed0fa"),
        "M3 12h6M9 12l5-6h6M9 12h11M9 12l5 6h6M17 3l3 3-3 3M17 9l3 3-3 3M17 15l3 3-3 3",
        BOX,
    ),
    // A shield.
    row(
        Kind::Gateway,
        "gateway",
        Role::Router,
        ("#2680c2", "#5ed0fa"),
        "M12 3l8 3v6c0 5-3.4 8-8 9c-4.6-1-8-4-8-9V6zM9 12l2 2 4-4",
        BOX,
    ),
    // A hexagon with a core.
    row(
        Kind::Service,
        "service",
        Role::Caller,
        ("#199473", "#3ebd93"),
        "M12 3l8 4.5v9L12 21l-8-4.5v-9zM12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6z",
        BOX,
    ),
    // A gear.
    row(
        Kind::Worker,
        "worker",
        Role::Caller,
        ("#3f9142", "#7bc47f"),
        "M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1l2.1-2.1M17 7l2.1-2.1",
        BOX,
    ),
    // A lightning bolt.
    row(
        Kind::Cache,
        "cache",
        Role::Data,
        ("#cb6e17", "#f7c948"),
        "M13 2L5 14h6l-1 8 8-12h-6z",
        BOX,
    ),
    // A cylinder.
    row(
        Kind::Database,
        "database",
        Role::Data,
        ("#b44d12", "#f9703e"),
        "M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zM4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3",
        Outline::Cylinder,
    ),
    // A bucket.
    row(
        Kind::Blob,
        "blob",
        Role::Data,
        ("#a27c1a", "#e9b949"),
        "M4 6h16l-2 14H6zM4 6c0-1.5 3.6-2.5 8-2.5s8 1 8 2.5",
        Outline::Bucket,
    ),
    // A log of messages.
    row(
        Kind::Queue,
        "queue",
        Role::Data,
        ("#6b46c1", "#a78bfa"),
        "M3 7h18v10H3zM8 7v10M13 7v10M18 7v10",
        Outline::Pipe,
    ),
    // A magnifier.
    row(
        Kind::Search,
        "search",
        Role::Data,
        ("#9446ed", "#c084fc"),
        "M10 4a6 6 0 1 0 0 12a6 6 0 1 0 0-12zM14.5 14.5L20 20",
        BOX,
    ),
    // Three nodes in agreement.
    row(
        Kind::Coordinator,
        "coordinator",
        Role::Data,
        ("#ba2525", "#ef4e4e"),
        "M12 3a2 2 0 1 0 0 4a2 2 0 1 0 0-4zM5 16a2 2 0 1 0 0 4a2 2 0 1 0 0-4zM19 16a2 2 0 1 0 0 4a2 2 0 1 0 0-4zM11 7l-5 9M13 7l5 9M7 18h10",
        BOX,
    ),
    KindInfo {
        article: "an",
        outside: true,
        // A box with an arrow leaving it.
        ..row(
            Kind::External,
            "external",
            Role::Caller,
            ("#7b8794", "#9aa5b1"),
            "M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5",
            Outline::Rounded {
                radius: 6.0,
                dashed: true,
            },
        )
    },
];

impl Kind {
    pub const ALL: [Kind; 14] = [
        Kind::Client,
        Kind::Dns,
        Kind::Cdn,
        Kind::Lb,
        Kind::Gateway,
        Kind::Service,
        Kind::Worker,
        Kind::Cache,
        Kind::Database,
        Kind::Blob,
        Kind::Queue,
        Kind::Search,
        Kind::Coordinator,
        Kind::External,
    ];

    /// This kind's row of the kind table.
    pub fn info(self) -> &'static KindInfo {
        &KINDS[self as usize]
    }

    pub fn as_str(self) -> &'static str {
        self.info().name
    }

    pub fn parse(word: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == word)
    }

    /// "a" or "an", for messages.
    pub fn article(self) -> &'static str {
        self.info().article
    }

    pub fn role(self) -> Role {
        self.info().role
    }

    /// Callers call each dependency a request needs (docs/estimates.md's sender table).
    pub fn is_caller(self) -> bool {
        self.role() == Role::Caller
    }

    /// Data components hold state (docs/rules.md, "Words used").
    pub fn is_data(self) -> bool {
        self.role() == Role::Data
    }

    /// Balancers (lb, dns) spread requests over alternatives, any one of which serves.
    pub fn balances(self) -> bool {
        self.role() == Role::Balancer
    }

    /// Run by someone else: a client or an external system.
    pub fn is_outside(self) -> bool {
        self.info().outside
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `region` and `zone` are placement; `group` is a plain boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GroupKind {
    Region,
    Zone,
    Group,
}

impl GroupKind {
    pub const ALL: [GroupKind; 3] = [GroupKind::Region, GroupKind::Zone, GroupKind::Group];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::Region => "region",
            GroupKind::Zone => "zone",
            GroupKind::Group => "group",
        }
    }

    pub fn parse(word: &str) -> Option<GroupKind> {
        GroupKind::ALL.into_iter().find(|k| k.as_str() == word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `KINDS[kind as usize]` is the kind's own row, for every kind; the match makes a
    /// new variant a compile error here until it is in `ALL` (and so in the table).
    #[test]
    fn every_kind_has_its_row() {
        for (index, kind) in Kind::ALL.into_iter().enumerate() {
            let listed = match kind {
                Kind::Client
                | Kind::Dns
                | Kind::Cdn
                | Kind::Lb
                | Kind::Gateway
                | Kind::Service
                | Kind::Worker
                | Kind::Cache
                | Kind::Database
                | Kind::Blob
                | Kind::Queue
                | Kind::Search
                | Kind::Coordinator
                | Kind::External => kind as usize,
            };
            assert_eq!(listed, index, "{kind:?} is out of order in Kind::ALL");
            assert_eq!(kind.info().kind, kind, "row {index} is not {kind:?}'s");
            assert!(!kind.info().glyph.is_empty(), "{kind:?} has a glyph");
        }
    }
}
